/**
 * Issue 13.3: every instant and day of every request is a real moment or day of the years 1970..9999, or
 * a 400 naming the field (nothing stored). 2027-02-30 used to be stored as March 2, and year 0000 or a
 * leap second reached PostgreSQL as a 500; a report through 9999-12-31 overflowed the calendar.
 */
import { Database } from '@app/platform';
import { startTestApp, type TestApp } from './support/test-app';
import {
  attempt,
  click,
  collect,
  createLink,
  createPartner,
  createProgram,
  ingestAll,
  optIn,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let partner: { id: string; code: string; token: string };
let link: { id: string; code: string };

const IMPOSSIBLE_INSTANTS = [
  '2027-02-30T10:00:00Z',
  '2027-02-29T08:00:00Z',
  '2027-04-31T08:00:00Z',
  '2027-13-02T08:00:00Z',
  '2027-03-03T24:00:00Z',
  '2027-03-03T10:60:00Z',
  '2027-06-30T23:59:60Z',
  '2027-03-03T10:00:00+24:00',
  '0000-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '10000-01-01T00:00:00Z',
  '2027-03-03',
];
const IMPOSSIBLE_DAYS = ['2027-02-30', '2027-02-29', '2027-11-31', '2027-13-01', '0000-01-01', '1969-12-31'];

beforeAll(async () => {
  t = await startTestApp();
  link = await createLink(t);
  const program = await createProgram(t, { default: { sale: [{ percent: '20' }] } });
  const code = `cal${uniqueId('x').replace(/-/g, '')}`;
  const id = await createPartner(t, {
    code,
    programIds: [program],
    ...({ password: 'calendar-partner-secret' } as object),
  });
  const login = await t
    .http()
    .post('/v1/partner-center/login')
    .send({ code, password: 'calendar-partner-secret' })
    .expect(200);
  partner = { id, code, token: login.body.token as string };
});

afterAll(async () => {
  await t.close();
});

async function eventCount(): Promise<number> {
  const { rows } = await t.app.get(Database).query<{ n: string }>('SELECT count(*) AS n FROM events');
  return Number(rows[0]!.n);
}

function expectFieldError(response: { status: number; body: { errors?: { path: string }[] } }, path: string) {
  expect([response.status, response.body.errors?.map((e) => e.path)]).toEqual([400, [path]]);
}

describe('instants', () => {
  it.each(IMPOSSIBLE_INSTANTS)('refuses occurredAt %s in ingest, storing nothing', async (occurredAt) => {
    const before = await eventCount();
    const response = await t
      .admin()
      .post('/v1/events')
      .send({
        events: [
          click('2027-03-03T09:00:00Z', { partnerId: partner.id, linkId: link.id, visitorId: 'v-cal-ok' }),
          {
            ...click(occurredAt, { partnerId: partner.id, linkId: link.id, visitorId: 'v-cal' }),
            eventId: uniqueId('cal'),
          },
        ].map((e) => ({ eventId: uniqueId('cal'), ...e })),
      });
    expectFieldError(response, 'events[1].occurredAt');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await eventCount()).toBe(before);
  });

  it('keeps a real leap day and the last millisecond of 9999 as sent', async () => {
    const visitorId = uniqueId('v');
    const results = await ingestAll(t, [
      click('2028-02-29T12:34:56.789Z', { partnerId: partner.id, linkId: link.id, visitorId }),
      click('9999-12-31T23:59:59.999Z', { partnerId: partner.id, linkId: link.id, visitorId }),
      optIn('9999-12-31T23:59:59.999Z', { contactId: uniqueId('c'), visitorId }),
    ]);
    const events = await t.admin().get('/v1/audit/events').query({ limit: 1000 }).expect(200);
    const stored = (events.body.events as { eventId: string; occurredAt: string }[]).filter((e) =>
      results.some((r) => r.eventId === e.eventId),
    );
    expect(stored.map((e) => e.occurredAt)).toEqual([
      '2028-02-29T12:34:56.789Z',
      '9999-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59.999Z',
    ]);
  });

  it.each(IMPOSSIBLE_INSTANTS)(
    'refuses %s as paidAt, occurredAt and expiresAt of the admin writes',
    async (at) => {
      const before = await eventCount();
      const payment = await t
        .admin()
        .post(`/v1/partners/${partner.id}/payments`)
        .send({ amount: 1234, paymentType: 'check', paidAt: at });
      expectFieldError(payment, 'paidAt');
      const adjustment = await t
        .admin()
        .post(`/v1/partners/${partner.id}/adjustments`)
        .send({ amount: -321, reason: 'calendar', occurredAt: at });
      expectFieldError(adjustment, 'occurredAt');
      const referral = await t
        .admin()
        .post(`/v1/contacts/${uniqueId('c')}/referrals`)
        .send({ partnerId: partner.id, expiresAt: at });
      expectFieldError(referral, 'expiresAt');
      const batch = await t.admin().post('/v1/payouts/batches').send({
        method: 'ending-balance',
        from: '2027-01-01',
        to: '2027-01-31',
        paymentType: 'check',
        paidAt: at,
      });
      expectFieldError(batch, 'paidAt');
      const audit = await t.admin().get(`/v1/audit/partners/${partner.id}/ledger`).query({ asOf: at });
      expectFieldError(audit, 'asOf');
      expect(await eventCount()).toBe(before);
    },
  );

  it('accepts a referral that expires in the last millisecond of 9999', async () => {
    const response = await t
      .admin()
      .post(`/v1/contacts/${uniqueId('c')}/referrals`)
      .send({ partnerId: partner.id, expiresAt: '9999-12-31T23:59:59.999Z' })
      .expect(201);
    expect(response.body).toBeDefined();
  });
});

describe('days', () => {
  it.each(IMPOSSIBLE_DAYS)('refuses %s as from, to and payDate everywhere', async (day) => {
    const before = await eventCount();
    for (const path of [
      '/v1/reports/link-stats',
      '/v1/reports/products-sold',
      '/v1/reports/ledger',
      '/v1/reports/reconciliation',
      `/v1/partners/${partner.id}/ledger`,
    ]) {
      expectFieldError(await t.admin().get(path).query({ from: day, to: '2027-12-31' }), 'from');
      expectFieldError(await t.admin().get(path).query({ from: '1970-01-01', to: day }), 'to');
    }
    for (const path of ['/v1/me/link-stats', '/v1/me/products-sold', '/v1/me/ledger']) {
      expectFieldError(await t.as(partner.token).get(path).query({ from: day, to: '2027-12-31' }), 'from');
    }
    expectFieldError(await t.as(partner.token).get('/v1/me/commissions').query({ to: day }), 'to');
    expectFieldError(
      await t.admin().get(`/v1/audit/partners/${partner.id}/ledger`).query({ from: day }),
      'from',
    );
    expectFieldError(await t.admin().get(`/v1/audit/partners/${partner.id}/ledger`).query({ to: day }), 'to');
    expectFieldError(await t.admin().get('/v1/payouts/due').query({ payDate: day }), 'payDate');
    expectFieldError(
      await t.admin().post('/v1/payouts/batches').send({ method: 'due', payDate: day, paymentType: 'check' }),
      'payDate',
    );
    expectFieldError(
      await t
        .admin()
        .post('/v1/payouts/batches')
        .send({ method: 'earned-in-range', from: day, to: '2027-01-31', paymentType: 'check' }),
      'from',
    );
    expect(await eventCount()).toBe(before);
  });
});

describe('the ends of the calendar', () => {
  it('answers every report from 1970-01-01 through 9999-12-31, counting the last millisecond', async () => {
    const attemptId = uniqueId('att');
    const visitorId = uniqueId('v');
    const written = await ingestAll(t, [
      click('9999-12-31T20:00:00Z', { partnerId: partner.id, linkId: link.id, visitorId }),
      attempt('9999-12-31T23:59:59.999Z', {
        attemptId,
        contactId: uniqueId('c'),
        visitorId,
        items: [{ productId: 'almanac', quantity: 3, unitPrice: 2_150 }],
      }),
      collect('9999-12-31T23:59:59.999Z', attemptId),
    ]);
    const range = { from: '1970-01-01', to: '9999-12-31', waitFor: written[written.length - 1]!.position };
    for (const path of [
      '/v1/reports/link-stats',
      '/v1/reports/products-sold',
      '/v1/reports/ledger',
      '/v1/reports/reconciliation',
      `/v1/partners/${partner.id}/ledger`,
    ]) {
      const response = await t.admin().get(path).query(range);
      expect([path, response.status]).toEqual([path, 200]);
    }
    const csv = await t
      .admin()
      .get('/v1/reports/ledger')
      .query({ ...range, format: 'csv' });
    expect(csv.status).toBe(200);
    for (const path of ['/v1/me/link-stats', '/v1/me/products-sold', '/v1/me/ledger']) {
      const response = await t.as(partner.token).get(path).query(range);
      expect([path, response.status]).toEqual([path, 200]);
    }
    const ledger = await t.admin().get(`/v1/partners/${partner.id}/ledger`).query(range).expect(200);
    expect(ledger.body.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'commission', amount: 1_290 })]),
    );
    const mine = await t
      .as(partner.token)
      .get('/v1/me/commissions')
      .query({ from: '2027-01-01' })
      .expect(200);
    expect(mine.body.commissions).toEqual([expect.objectContaining({ amount: 1_290 })]);
    const audit = await t
      .admin()
      .get(`/v1/audit/partners/${partner.id}/ledger`)
      .query({ from: '1970-01-01', to: '9999-12-31' })
      .expect(200);
    expect(audit.body.endingBalance).toBe(ledger.body.endingBalance);
    const auditAtTheEnd = await t
      .admin()
      .get(`/v1/audit/partners/${partner.id}/ledger`)
      .query({ asOf: '9999-12-31T23:59:59.999Z' })
      .expect(200);
    expect(auditAtTheEnd.body.to).toBe('9999-12-31');
    await t.admin().get('/v1/payouts/due').query({ payDate: '9999-12-31' }).expect(200);
    await t.admin().get('/v1/payouts/due').query({ payDate: '1970-01-01' }).expect(200);
  });

  it('pays a batch over a range through 9999-12-31', async () => {
    const response = await t
      .admin()
      .post('/v1/payouts/batches')
      .send({
        batchId: uniqueId('cal-batch'),
        method: 'earned-in-range',
        from: '1970-01-01',
        to: '9999-12-31',
        paymentType: 'check',
        paidAt: '2027-05-05T10:00:00Z',
      });
    expect(response.status).toBe(201);
    expect(response.body.payments).toEqual([
      expect.objectContaining({ partnerId: partner.id, amount: 1_290 }),
    ]);
  });
});
