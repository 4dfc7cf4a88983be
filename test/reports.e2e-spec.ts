import { startTestApp, type TestApp } from './support/test-app';
import {
  type Envelope,
  attempt,
  click,
  collect,
  createLink,
  createPartner,
  createProgram,
  decline,
  ingestAll,
  optIn,
  patchSettings,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let auditorKey: string;
let ingestKey: string;
let link: { id: string; code: string };
let program: string;

const DAY = '2026-01-05';

beforeAll(async () => {
  t = await startTestApp();
  link = await createLink(t);
  program = await createProgram(t, {
    products: {
      'san-trial': { sale: [{ percent: '50' }] },
      premium: { sale: [{ percent: '50' }] },
      annual: { sale: [{ percent: '50' }] },
    },
  });
  const keys = await Promise.all(
    (['auditor', 'ingest'] as const).map((role) =>
      t
        .admin()
        .post('/v1/api-keys')
        .send({ name: `${role}-reports`, role })
        .expect(201),
    ),
  );
  auditorKey = keys[0]!.body.key as string;
  ingestKey = keys[1]!.body.key as string;
});

afterAll(async () => {
  await t.close();
});

/** Ingests and answers the position of the last write, for waitFor. */
async function write(envelopes: Envelope[]): Promise<string> {
  const results = await ingestAll(t, envelopes);
  return results[results.length - 1]!.position!;
}

async function report(path: string, query: Record<string, string>, status = 200) {
  const response = await t.as(auditorKey).get(path).query(query);
  if (response.status !== status)
    throw new Error(`${path}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

const items = (unitPrice: number, productId: string) => [{ productId, quantity: 1, unitPrice: unitPrice }];

/** Seed 000: John buys the $1 trial and the $97 premium, then is declined three times on the annual plan. */
async function seed000() {
  const partner = await createPartner(t, { programIds: [program] });
  const ad = await t
    .admin()
    .post(`/v1/partners/${partner}/ads`)
    .send({ linkId: link.id, name: 'Solo ad', medium: 'solo-ad' })
    .expect(201);
  const adId = ad.body.id as string;
  const visitorId = uniqueId('john-browser');
  const contactId = uniqueId('john');
  const [trial, premium, a1, a2, a3] = ['trial', 'premium', 'annual-1', 'annual-2', 'annual-3'].map((n) =>
    uniqueId(n),
  ) as [string, string, string, string, string];
  const position = await write([
    click(`${DAY}T08:00:00Z`, { partnerId: partner, linkId: link.id, visitorId: uniqueId('window-shopper') }),
    click(`${DAY}T09:00:00Z`, { partnerId: partner, linkId: link.id, adId, visitorId }),
    optIn(`${DAY}T09:05:00Z`, { contactId, visitorId, email: 'john@example.com' }),
    attempt(`${DAY}T09:10:00Z`, { attemptId: trial, contactId, visitorId, items: items(100, 'san-trial') }),
    collect(`${DAY}T09:10:01Z`, trial),
    attempt(`${DAY}T09:20:00Z`, { attemptId: premium, contactId, visitorId, items: items(9700, 'premium') }),
    collect(`${DAY}T09:20:01Z`, premium),
    ...[a1, a2, a3].flatMap((id, i) => [
      attempt(`${DAY}T09:3${i}:00Z`, {
        attemptId: id,
        contactId,
        visitorId,
        kind: 'subscription',
        subscriptionId: `sub-${id}`,
        items: items(29700, 'annual'),
      }),
      decline(`${DAY}T09:3${i}:01Z`, id),
    ]),
  ]);
  return { partner, adId, position, trial, premium };
}

let seeded: Awaited<ReturnType<typeof seed000>>;
const range = (extra: Record<string, string> = {}) => ({
  from: DAY,
  to: DAY,
  partnerId: seeded.partner,
  waitFor: seeded.position,
  ...extra,
});

describe('seed 000: activity counts attempts, the ledger counts collected money', () => {
  beforeAll(async () => {
    seeded = await seed000();
  });

  it('products sold: trial 1, premium 1, annual 3 of which 3 declined', async () => {
    const { body } = await report('/v1/reports/products-sold', range());
    expect(body).toEqual({
      from: DAY,
      to: DAY,
      currency: 'USD',
      rows: [
        {
          partnerId: seeded.partner,
          productId: 'annual',
          sold: 3,
          quantity: 3,
          declined: 3,
          collected: 0,
          collectedAmount: 0,
          refundedAmount: 0,
        },
        {
          partnerId: seeded.partner,
          productId: 'premium',
          sold: 1,
          quantity: 1,
          declined: 0,
          collected: 1,
          collectedAmount: 9700,
          refundedAmount: 0,
        },
        {
          partnerId: seeded.partner,
          productId: 'san-trial',
          sold: 1,
          quantity: 1,
          declined: 0,
          collected: 1,
          collectedAmount: 100,
          refundedAmount: 0,
        },
      ],
    });
  });

  it('ledger: only the $1 and $97 sales earn commission', async () => {
    const { body } = await report('/v1/reports/ledger', range());
    expect(body.rows).toEqual([
      {
        partnerId: seeded.partner,
        partnerCode: expect.any(String),
        beginningBalance: 0,
        commissions: 4900,
        clawbacks: 0,
        adjustments: 0,
        payments: 0,
        endingBalance: 4900,
      },
    ]);
    expect(body.currency).toBe('USD');

    const partnerLedger = await report(`/v1/partners/${seeded.partner}/ledger`, {
      from: DAY,
      to: DAY,
      waitFor: seeded.position,
    });
    expect(partnerLedger.body).toMatchObject({
      partnerId: seeded.partner,
      from: DAY,
      to: DAY,
      beginningBalance: 0,
      endingBalance: 4900,
    });
    expect(partnerLedger.body.entries).toEqual([
      expect.objectContaining({
        type: 'commission',
        amount: 50,
        balance: 50,
        attemptId: seeded.trial,
        productId: 'san-trial',
        role: 'sale',
        level: 1,
        occurredAt: `${DAY}T09:10:01.000Z`,
      }),
      expect.objectContaining({
        type: 'commission',
        amount: 4850,
        balance: 4900,
        attemptId: seeded.premium,
        productId: 'premium',
      }),
    ]);
  });

  it('link stats: orders, subscriptions, declined, collected and revenue per link, ad and day', async () => {
    const totals = {
      clicks: 2,
      uniqueVisitors: 2,
      optIns: 1,
      orders: 2,
      subscriptions: 3,
      renewals: 0,
      declined: 3,
      collected: 2,
      revenue: 9800,
    };
    const byLink = await report('/v1/reports/link-stats', range());
    expect(byLink.body).toEqual({
      from: DAY,
      to: DAY,
      currency: 'USD',
      groupBy: 'link',
      rows: [{ partnerId: seeded.partner, linkId: link.id, linkCode: link.code, ...totals }],
    });

    const byAd = await report('/v1/reports/link-stats', range({ groupBy: 'ad' }));
    expect(byAd.body.rows).toEqual([
      {
        partnerId: seeded.partner,
        linkId: link.id,
        linkCode: link.code,
        adId: null,
        ...{ ...totals, clicks: 1, uniqueVisitors: 1, optIns: 0, orders: 0, subscriptions: 0 },
        ...{ declined: 0, collected: 0, revenue: 0 },
      },
      {
        partnerId: seeded.partner,
        linkId: link.id,
        linkCode: link.code,
        adId: seeded.adId,
        ...{ ...totals, clicks: 1, uniqueVisitors: 1 },
      },
    ]);

    const byDay = await report('/v1/reports/link-stats', range({ groupBy: 'day' }));
    expect(byDay.body.rows.map((r: { adId: string | null; day: string }) => [r.adId, r.day])).toEqual([
      [null, DAY],
      [seeded.adId, DAY],
    ]);
  });

  it('reconciliation: the declined attempts explain why activity and ledger differ', async () => {
    const { body } = await report('/v1/reports/reconciliation', range());
    expect(body.rows).toEqual([
      {
        partnerId: seeded.partner,
        productId: 'annual',
        attempts: 3,
        declined: 3,
        pending: 0,
        collected: 0,
        commissionEarned: 0,
        commissionClawedBack: 0,
      },
      {
        partnerId: seeded.partner,
        productId: 'premium',
        attempts: 1,
        declined: 0,
        pending: 0,
        collected: 1,
        commissionEarned: 4850,
        commissionClawedBack: 0,
      },
      {
        partnerId: seeded.partner,
        productId: 'san-trial',
        attempts: 1,
        declined: 0,
        pending: 0,
        collected: 1,
        commissionEarned: 50,
        commissionClawedBack: 0,
      },
    ]);
  });

  it('exports the ledger report as CSV, by Accept header or format=csv', async () => {
    const partner = await t.admin().get(`/v1/partners/${seeded.partner}`).expect(200);
    const expected =
      'partnerId,partnerCode,beginningBalance,commissions,clawbacks,adjustments,payments,endingBalance\r\n' +
      `${seeded.partner},${partner.body.code},0,4900,0,0,0,4900\r\n`;
    const byHeader = await t
      .as(auditorKey)
      .get('/v1/reports/ledger')
      .set('Accept', 'text/csv')
      .query(range())
      .expect(200);
    expect(byHeader.headers['content-type']).toMatch(/^text\/csv/);
    expect(byHeader.text).toBe(expected);
    const byFormat = await report('/v1/reports/ledger', range({ format: 'csv' }));
    expect(byFormat.headers['content-type']).toMatch(/^text\/csv/);
    expect(byFormat.headers['content-disposition']).toContain(`ledger-${DAY}-${DAY}.csv`);
    expect(byFormat.text).toBe(expected);
  });

  it('filters the ledger report by program', async () => {
    const other = await createProgram(t, { default: { sale: [{ flat: 1 }] } });
    const inProgram = await report('/v1/reports/ledger', range({ programId: program }));
    expect(inProgram.body.rows.map((r: { partnerId: string }) => r.partnerId)).toEqual([seeded.partner]);
    const notInProgram = await report('/v1/reports/ledger', range({ programId: other }));
    expect(notInProgram.body.rows).toEqual([]);
  });
});

describe('filters, consistency and validation', () => {
  it('limits every report to partnerId', async () => {
    const one = await createPartner(t, { programIds: [program] });
    const two = await createPartner(t, { programIds: [program] });
    const contact = uniqueId('c');
    const position = await write([
      click('2026-02-01T10:00:00Z', { partnerId: one, linkId: link.id, visitorId: uniqueId('v') }),
      click('2026-02-01T10:00:00Z', { partnerId: two, linkId: link.id, visitorId: uniqueId('v') }),
      attempt('2026-02-01T10:05:00Z', {
        attemptId: uniqueId('a'),
        contactId: contact,
        partnerCode: (await t.admin().get(`/v1/partners/${two}`)).body.code,
        items: items(1000, 'premium'),
      }),
    ]);
    const query = { from: '2026-02-01', to: '2026-02-01', waitFor: position };
    const all = await report('/v1/reports/link-stats', query);
    const partners = all.body.rows.map((r: { partnerId: string }) => r.partnerId);
    expect(partners).toEqual(expect.arrayContaining([one, two]));
    expect(partners).toEqual([...partners].sort());
    const onlyOne = await report('/v1/reports/link-stats', { ...query, partnerId: one });
    expect(onlyOne.body.rows).toEqual([expect.objectContaining({ partnerId: one, clicks: 1, orders: 0 })]);
    const onlyTwo = await report('/v1/reports/products-sold', { ...query, partnerId: two });
    expect(onlyTwo.body.rows).toEqual([
      expect.objectContaining({ partnerId: two, productId: 'premium', sold: 1 }),
    ]);
    const noOne = await report('/v1/reports/products-sold', { ...query, partnerId: one });
    expect(noOne.body.rows).toEqual([]);
    // The explicit partner's attempt counts under "no link".
    const twoStats = await report('/v1/reports/link-stats', { ...query, partnerId: two });
    expect(twoStats.body.rows).toEqual([
      expect.objectContaining({ linkId: null, linkCode: null, orders: 1, clicks: 0 }),
      expect.objectContaining({ linkId: link.id, clicks: 1 }),
    ]);
  });

  it('answers with the write included when given its position, and refuses a malformed one', async () => {
    const partner = await createPartner(t, { programIds: [program] });
    const position = await write([
      click('2026-03-01T10:00:00Z', { partnerId: partner, linkId: link.id, visitorId: uniqueId('v') }),
    ]);
    const { body } = await report('/v1/reports/link-stats', {
      from: '2026-03-01',
      to: '2026-03-01',
      partnerId: partner,
      waitFor: position,
    });
    expect(body.rows).toEqual([expect.objectContaining({ partnerId: partner, clicks: 1 })]);

    const bad = await report(
      '/v1/reports/link-stats',
      { from: '2026-03-01', to: '2026-03-01', waitFor: 'yesterday' },
      400,
    );
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors).toEqual([{ path: 'waitFor', message: expect.any(String) }]);
  });

  it('answers 503 with Retry-After when the read models do not reach waitFor within 5 s', async () => {
    const response = await report(
      '/v1/reports/products-sold',
      { from: '2026-03-01', to: '2026-03-01', waitFor: '999999999999-1' },
      503,
    );
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.body.status).toBe(503);
  });

  it('refuses missing or invalid days, a reversed range and unknown parameters, naming the field', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ to: '2026-01-01' }, 'from'],
      [{ from: '2026-01-01' }, 'to'],
      [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
      [{ from: '2026-01-01', to: '01/02/2026' }, 'to'],
      [{ from: '2026-01-02', to: '2026-01-01' }, 'to'],
      [{ from: '2026-01-01', to: '2026-01-01', colour: 'red' }, 'colour'],
      [{ from: '2026-01-01', to: '2026-01-01', partnerId: 'no spaces' }, 'partnerId'],
    ];
    for (const [query, path] of cases) {
      for (const endpoint of ['link-stats', 'products-sold', 'ledger', 'reconciliation']) {
        const { body } = await report(`/v1/reports/${endpoint}`, query, 400);
        expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
      }
    }
    const grouping = await report('/v1/reports/link-stats', { from: DAY, to: DAY, groupBy: 'week' }, 400);
    expect(grouping.body.errors).toEqual([{ path: 'groupBy', message: expect.any(String) }]);
    const partnerLedger = await report('/v1/partners/whoever/ledger', { from: DAY }, 400);
    expect(partnerLedger.body.errors.map((e: { path: string }) => e.path)).toEqual(['to']);
  });

  it('answers 404 for the ledger of an unknown partner', async () => {
    await report('/v1/partners/nobody-here/ledger', { from: DAY, to: DAY }, 404);
  });

  it('lets auditors and admins read the reports, not ingest keys', async () => {
    const query = { from: DAY, to: DAY };
    for (const path of [
      '/v1/reports/link-stats',
      '/v1/reports/products-sold',
      '/v1/reports/ledger',
      '/v1/reports/reconciliation',
    ]) {
      await t.as(ingestKey).get(path).query(query).expect(403);
      await t.http().get(path).query(query).expect(401);
      await t.as(auditorKey).get(path).query(query).expect(200);
      await t.admin().get(path).query(query).expect(200);
    }
  });

  it('lists the report projections in the operations view', async () => {
    const { body } = await t.admin().get('/v1/admin/projections').expect(200);
    const names = body.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['link-stats', 'products-sold', 'ledger', 'reconciliation']),
    );
  });
});

describe('business days in the settings timezone', () => {
  afterAll(async () => {
    await patchSettings(t, { timezone: 'UTC' });
  });

  it('puts 04:30Z on January 15th on January 14th in Bogota (UTC-5)', async () => {
    await patchSettings(t, { timezone: 'America/Bogota' });
    const partner = await createPartner(t, { programIds: [program] });
    const visitorId = uniqueId('late-night');
    const contactId = uniqueId('night-owl');
    const attemptId = uniqueId('late');
    const position = await write([
      click('2026-01-15T04:30:00Z', { partnerId: partner, linkId: link.id, visitorId }),
      attempt('2026-01-15T04:35:00Z', { attemptId, contactId, visitorId, items: items(9700, 'premium') }),
      collect('2026-01-15T04:36:00Z', attemptId),
    ]);
    const query = (day: string, extra: Record<string, string> = {}) => ({
      from: day,
      to: day,
      partnerId: partner,
      waitFor: position,
      ...extra,
    });
    const evening = await report('/v1/reports/link-stats', query('2026-01-14', { groupBy: 'day' }));
    expect(evening.body.rows).toEqual([
      expect.objectContaining({ day: '2026-01-14', clicks: 1, orders: 1, collected: 1, revenue: 9700 }),
    ]);
    const nextDay = await report('/v1/reports/link-stats', query('2026-01-15'));
    expect(nextDay.body.rows).toEqual([]);

    const ledger = await report(`/v1/partners/${partner}/ledger`, {
      from: '2026-01-14',
      to: '2026-01-14',
      waitFor: position,
    });
    expect(ledger.body.entries).toEqual([expect.objectContaining({ type: 'commission', amount: 4850 })]);
    const after = await report(`/v1/partners/${partner}/ledger`, {
      from: '2026-01-15',
      to: '2026-01-15',
      waitFor: position,
    });
    expect(after.body).toMatchObject({ beginningBalance: 4850, entries: [], endingBalance: 4850 });
  });
});
