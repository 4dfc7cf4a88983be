import { startTestApp, type TestApp } from './support/test-app';
import {
  attempt,
  click,
  collect,
  createLink,
  createPartner,
  createProgram,
  decline,
  getAttempt,
  ingest,
  ingestAll,
  optIn,
  patchSettings,
  refund,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let link: { id: string; code: string };

const DEFAULTS = {
  attribution: 'last',
  trackingMethod: 'cookies-only',
  useIpAddress: false,
  ipMatchDays: 30,
  levels: 2,
  payout: { sale: true, lead: false },
  payIfUnused: false,
  blockSelfReferrals: true,
};

beforeAll(async () => {
  t = await startTestApp();
  link = await createLink(t);
});

beforeEach(async () => {
  await patchSettings(t, DEFAULTS);
});

afterAll(async () => {
  await t.close();
});

const items = (unitPrice: number, productId = 'widget', quantity = 1) => [{ productId, quantity, unitPrice }];

describe('seed 000: declined attempts earn nothing', () => {
  it('pays commission only on the trial and the premium that were collected', async () => {
    const program = await createProgram(t, {
      products: {
        'san-trial': { sale: [{ percent: '50' }] },
        premium: { sale: [{ percent: '50' }] },
        annual: { sale: [{ percent: '50' }] },
      },
    });
    const partner = await createPartner(t, { programIds: [program] });
    const visitorId = uniqueId('john-browser');
    const contactId = uniqueId('john');
    const [trial, premium, a1, a2, a3] = ['trial', 'premium', 'annual-1', 'annual-2', 'annual-3'].map((n) =>
      uniqueId(n),
    ) as [string, string, string, string, string];
    await ingestAll(t, [
      click('2026-01-05T09:00:00Z', { partnerId: partner, linkId: link.id, visitorId }),
      optIn('2026-01-05T09:05:00Z', { contactId, visitorId, email: 'john@example.com' }),
      attempt('2026-01-05T09:10:00Z', {
        attemptId: trial,
        contactId,
        visitorId,
        items: items(100, 'san-trial'),
      }),
      collect('2026-01-05T09:10:01Z', trial),
      attempt('2026-01-05T09:20:00Z', {
        attemptId: premium,
        contactId,
        visitorId,
        items: items(9700, 'premium'),
      }),
      collect('2026-01-05T09:20:01Z', premium),
      ...[a1, a2, a3].flatMap((id, i) => [
        attempt(`2026-01-05T09:3${i}:00Z`, {
          attemptId: id,
          contactId,
          visitorId,
          kind: 'subscription',
          subscriptionId: `sub-${id}`,
          items: items(29700, 'annual'),
        }),
        decline(`2026-01-05T09:3${i}:01Z`, id),
      ]),
    ]);
    expect((await getAttempt(t, trial)).commissions.map((c) => c.amount)).toEqual([50]);
    expect((await getAttempt(t, premium)).commissions.map((c) => c.amount)).toEqual([4850]);
    for (const id of [a1, a2, a3]) {
      const declined = await getAttempt(t, id);
      expect(declined.status).toBe('declined');
      expect(declined.salePartnerId).toBe(partner); // attributed for the activity reports...
      expect(declined.commissions).toEqual([]); // ...but never paid
    }
  });
});

describe('seed 001: an old click and a later unrelated purchase without a cookie', () => {
  async function scenario() {
    const program = await createProgram(t, { default: { sale: [{ flat: 1000 }] } });
    const roger = await createPartner(t, { programIds: [program], leadCookieDays: null });
    const katieBrowser = uniqueId('katie-2016');
    const katie = uniqueId('katie');
    await ingestAll(t, [
      click('2025-03-01T12:00:00Z', { partnerId: roger, linkId: link.id, visitorId: katieBrowser }),
      optIn('2025-03-01T12:10:00Z', { contactId: katie, visitorId: katieBrowser }),
    ]);
    const purchase = uniqueId('scm');
    await ingestAll(t, [
      attempt('2026-03-01T12:00:00Z', { attemptId: purchase, contactId: katie, items: items(5000, 'scm') }),
      collect('2026-03-01T12:00:05Z', purchase),
    ]);
    return { roger, purchase };
  }

  it('credits no one under cookies-only', async () => {
    const { purchase } = await scenario();
    const result = await getAttempt(t, purchase);
    expect(result.salePartnerId).toBeNull();
    expect(result.commissions).toEqual([]);
  });

  it('credits the old referral under history-and-cookies, and the explanation says why', async () => {
    await patchSettings(t, { trackingMethod: 'history-and-cookies' });
    const { roger, purchase } = await scenario();
    const result = await getAttempt(t, purchase);
    expect(result.salePartnerId).toBe(roger);
    const [commission] = result.commissions;
    expect(commission).toMatchObject({ partnerId: roger, amount: 1000 });
    const explained = await t.admin().get(`/v1/commissions/${commission!.commissionId}`).expect(200);
    expect(explained.body.attribution).toMatchObject({
      method: 'history',
      referralSetAt: '2025-03-01T12:00:00.000Z',
      rule: 'last',
      trackingMethod: 'history-and-cookies',
    });
    expect(explained.body).toMatchObject({
      role: 'sale',
      level: 1,
      unused: false,
      base: 5000,
      rate: { flat: 1000, percent: null },
    });
  });
});

describe('who is credited', () => {
  async function twoClicks() {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const first = await createPartner(t, { programIds: [program] });
    const second = await createPartner(t, { programIds: [program] });
    const visitorId = uniqueId('vis');
    const id = uniqueId('att');
    await ingestAll(t, [
      click('2026-04-01T10:00:00Z', { partnerId: first, linkId: link.id, visitorId }),
      click('2026-04-02T10:00:00Z', { partnerId: second, linkId: link.id, visitorId }),
      attempt('2026-04-03T10:00:00Z', {
        attemptId: id,
        contactId: uniqueId('c'),
        visitorId,
        items: items(1000),
      }),
      collect('2026-04-03T10:00:01Z', id),
    ]);
    return { first, second, id };
  }

  it('credits the last referring partner by default', async () => {
    const { second, id } = await twoClicks();
    const result = await getAttempt(t, id);
    expect(result.salePartnerId).toBe(second);
    expect(result.attribution.sale).toMatchObject({ method: 'cookie', rule: 'last' });
  });

  it('credits the first referring partner under attribution=first', async () => {
    await patchSettings(t, { attribution: 'first' });
    const { first, id } = await twoClicks();
    expect((await getAttempt(t, id)).salePartnerId).toBe(first);
  });

  it('falls back to a click from the same IP only with useIpAddress, within ipMatchDays', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const partner = await createPartner(t, { programIds: [program] });
    const ip = '203.0.113.7';
    await ingestAll(t, [
      click('2026-05-01T10:00:00Z', {
        partnerId: partner,
        linkId: link.id,
        visitorId: uniqueId('phone'),
        ip,
      }),
    ]);
    const buy = async (at: string) => {
      const id = uniqueId('att');
      await ingestAll(t, [
        attempt(at, {
          attemptId: id,
          contactId: uniqueId('c'),
          visitorId: uniqueId('laptop'),
          ip,
          items: items(1000),
        }),
      ]);
      return getAttempt(t, id);
    };
    expect((await buy('2026-05-10T10:00:00Z')).salePartnerId).toBeNull();
    await patchSettings(t, { useIpAddress: true, ipMatchDays: 30 });
    const matched = await buy('2026-05-10T10:00:00Z');
    expect(matched.salePartnerId).toBe(partner);
    expect(matched.attribution.sale).toMatchObject({ method: 'ip' });
    expect((await buy('2026-06-15T10:00:00Z')).salePartnerId).toBeNull(); // 45 days later
  });

  it('never credits an inactive partner, and an explicit partner wins over the cookie', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const clicked = await createPartner(t, { programIds: [program] });
    const repCode = `rep${uniqueId('x').replace(/-/g, '')}`;
    const rep = await createPartner(t, { code: repCode, programIds: [program] });
    const visitorId = uniqueId('vis');
    await ingestAll(t, [click('2026-05-01T10:00:00Z', { partnerId: clicked, linkId: link.id, visitorId })]);
    await t.admin().patch(`/v1/partners/${clicked}`).send({ status: 'inactive' }).expect(200);
    const viaCookie = uniqueId('att');
    const viaRep = uniqueId('att');
    await ingestAll(t, [
      attempt('2026-05-02T10:00:00Z', {
        attemptId: viaCookie,
        contactId: uniqueId('c'),
        visitorId,
        items: items(1000),
      }),
      attempt('2026-05-02T10:00:00Z', {
        attemptId: viaRep,
        contactId: uniqueId('c'),
        visitorId,
        partnerCode: repCode,
        items: items(1000),
      }),
    ]);
    expect((await getAttempt(t, viaCookie)).salePartnerId).toBeNull();
    const explicit = await getAttempt(t, viaRep);
    expect(explicit.salePartnerId).toBe(rep);
    expect(explicit.attribution.sale).toMatchObject({ method: 'explicit' });
  });
});

describe('tiers, roles and special rules', () => {
  async function chain(levelsBelowTop: 'full' | 'no-grandparent') {
    const program = await createProgram(t, {
      default: { sale: [{ percent: '10' }, { percent: '5' }, { percent: '2' }] },
    });
    const grandparent =
      levelsBelowTop === 'full' ? await createPartner(t, { programIds: [program] }) : undefined;
    const parent = await createPartner(t, {
      programIds: [program],
      ...(grandparent ? { parentId: grandparent } : {}),
    });
    const child = await createPartner(t, { programIds: [program], parentId: parent });
    const visitorId = uniqueId('vis');
    const id = uniqueId('att');
    await ingestAll(t, [
      click('2026-06-01T10:00:00Z', { partnerId: child, linkId: link.id, visitorId }),
      attempt('2026-06-01T11:00:00Z', {
        attemptId: id,
        contactId: uniqueId('c'),
        visitorId,
        items: items(10000),
      }),
      collect('2026-06-01T11:00:01Z', id),
    ]);
    const result = await getAttempt(t, id);
    const paid = result.commissions.map((c) => [c.partnerId, c.level, c.unused, c.amount]);
    return { child, parent, grandparent, paid };
  }

  it('pays two levels by default', async () => {
    const { child, parent, paid } = await chain('full');
    expect(paid).toEqual(
      expect.arrayContaining([
        [child, 1, false, 1000],
        [parent, 2, false, 500],
      ]),
    );
    expect(paid).toHaveLength(2);
  });

  it('pays three levels with levels=3', async () => {
    await patchSettings(t, { levels: 3 });
    const { child, parent, grandparent, paid } = await chain('full');
    expect(paid).toEqual(
      expect.arrayContaining([
        [child, 1, false, 1000],
        [parent, 2, false, 500],
        [grandparent, 3, false, 200],
      ]),
    );
    expect(paid).toHaveLength(3);
  });

  it('gives a missing level’s amount to the level-1 partner only with payIfUnused', async () => {
    await patchSettings(t, { levels: 3 });
    const without = await chain('no-grandparent');
    expect(without.paid).toHaveLength(2);
    await patchSettings(t, { payIfUnused: true });
    const withUnused = await chain('no-grandparent');
    expect(withUnused.paid).toEqual(
      expect.arrayContaining([
        [withUnused.child, 1, false, 1000],
        [withUnused.parent, 2, false, 500],
        [withUnused.child, 3, true, 200],
      ]),
    );
    expect(withUnused.paid).toHaveLength(3);
  });

  it('pays the lead partner and the sale partner together', async () => {
    await patchSettings(t, { payout: { sale: true, lead: true } });
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }], lead: [{ flat: 300 }] } });
    const leadPartner = await createPartner(t, { programIds: [program] });
    const salePartner = await createPartner(t, { programIds: [program] });
    const contactId = uniqueId('c');
    const firstBrowser = uniqueId('vis');
    const secondBrowser = uniqueId('vis');
    const id = uniqueId('att');
    await ingestAll(t, [
      click('2026-06-01T10:00:00Z', { partnerId: leadPartner, linkId: link.id, visitorId: firstBrowser }),
      optIn('2026-06-01T10:05:00Z', { contactId, visitorId: firstBrowser }),
      click('2026-06-02T10:00:00Z', { partnerId: salePartner, linkId: link.id, visitorId: secondBrowser }),
      attempt('2026-06-02T10:05:00Z', {
        attemptId: id,
        contactId,
        visitorId: secondBrowser,
        items: items(10000),
      }),
      collect('2026-06-02T10:05:01Z', id),
    ]);
    const result = await getAttempt(t, id);
    expect(result.salePartnerId).toBe(salePartner);
    expect(result.leadPartnerId).toBe(leadPartner);
    expect(result.commissions.map((c) => [c.partnerId, c.role, c.amount])).toEqual(
      expect.arrayContaining([
        [salePartner, 'sale', 1000],
        [leadPartner, 'lead', 300],
      ]),
    );
  });

  it('blocks a self-referral', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const partner = await createPartner(t, { programIds: [program], email: 'Self@Example.com' });
    const visitorId = uniqueId('vis');
    const id = uniqueId('att');
    await ingestAll(t, [
      click('2026-06-01T10:00:00Z', { partnerId: partner, linkId: link.id, visitorId }),
      attempt('2026-06-01T11:00:00Z', {
        attemptId: id,
        contactId: uniqueId('c'),
        visitorId,
        email: 'self@example.com',
        items: items(10000),
      }),
      collect('2026-06-01T11:00:01Z', id),
    ]);
    expect((await getAttempt(t, id)).commissions).toEqual([]);
  });

  it('credits renewals to the subscription’s partner, up to maxRenewals', async () => {
    const program = await createProgram(t, {
      default: { sale: [{ percent: '10' }], renewal: [{ percent: '5' }], maxRenewals: 2 },
    });
    const partner = await createPartner(t, { programIds: [program] });
    const visitorId = uniqueId('vis');
    const contactId = uniqueId('c');
    const subscriptionId = uniqueId('sub');
    const start = uniqueId('att');
    await ingestAll(t, [
      click('2026-06-01T10:00:00Z', { partnerId: partner, linkId: link.id, visitorId }),
      attempt('2026-06-01T11:00:00Z', {
        attemptId: start,
        contactId,
        visitorId,
        kind: 'subscription',
        subscriptionId,
        items: items(2000),
      }),
      collect('2026-06-01T11:00:01Z', start),
    ]);
    const renewals = [uniqueId('r1'), uniqueId('r2'), uniqueId('r3')];
    for (const [i, id] of renewals.entries()) {
      await ingestAll(t, [
        attempt(`2026-0${7 + i}-01T11:00:00Z`, {
          attemptId: id,
          contactId,
          kind: 'renewal',
          subscriptionId,
          items: items(2000),
        }),
        collect(`2026-0${7 + i}-01T11:00:01Z`, id),
      ]);
    }
    expect((await getAttempt(t, start)).commissions.map((c) => c.amount)).toEqual([200]);
    const paid = await Promise.all(
      renewals.map(async (id) => (await getAttempt(t, id)).commissions.map((c) => [c.partnerId, c.amount])),
    );
    expect(paid).toEqual([[[partner, 100]], [[partner, 100]], []]);
  });
});

describe('outcomes and refunds', () => {
  async function collectedSale(total = 10000) {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }, { percent: '3' }] } });
    const parent = await createPartner(t, { programIds: [program] });
    const partner = await createPartner(t, { programIds: [program], parentId: parent });
    const visitorId = uniqueId('vis');
    const id = uniqueId('att');
    await ingestAll(t, [
      click('2026-07-01T10:00:00Z', { partnerId: partner, linkId: link.id, visitorId }),
      attempt('2026-07-01T11:00:00Z', {
        attemptId: id,
        contactId: uniqueId('c'),
        visitorId,
        items: items(total),
      }),
      collect('2026-07-01T11:00:01Z', id),
    ]);
    return { id, partner, parent, program };
  }

  it('gives an attempt one outcome', async () => {
    const { id } = await collectedSale();
    const pending = uniqueId('att');
    await ingestAll(t, [
      attempt('2026-07-01T12:00:00Z', { attemptId: pending, contactId: uniqueId('c'), items: items(500) }),
      decline('2026-07-01T12:00:01Z', pending),
    ]);
    const results = await ingest(t, [
      collect('2026-07-02T00:00:00Z', id),
      decline('2026-07-02T00:00:00Z', id),
      collect('2026-07-02T00:00:00Z', pending),
      decline('2026-07-02T00:00:00Z', 'no-such-attempt'),
    ]);
    expect(results.map((r) => [r.status, r.error?.status, r.error?.code])).toEqual([
      ['rejected', 422, 'already-collected'],
      ['rejected', 422, 'already-collected'],
      ['rejected', 422, 'already-declined'],
      ['rejected', 422, 'unknown-attempt'],
    ]);
    expect((await getAttempt(t, id)).commissions).toHaveLength(2);
  });

  it('never produces a second set of commissions for concurrent duplicate collections', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const code = `solo${uniqueId('x').replace(/-/g, '')}`;
    const partner = await createPartner(t, { code, programIds: [program] });
    const explicit = uniqueId('att');
    await ingestAll(t, [
      attempt('2026-07-01T11:00:00Z', {
        attemptId: explicit,
        contactId: uniqueId('c'),
        partnerCode: code,
        items: items(10000),
      }),
    ]);
    const sameEventId = uniqueId('collect');
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        ingest(t, [
          {
            ...collect('2026-07-01T11:00:05Z', explicit),
            eventId: i % 2 === 0 ? sameEventId : uniqueId('collect'),
          },
        ]),
      ),
    );
    const statuses = answers.map(([r]) => r?.status);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    // The others are retries of the accepted one (duplicate) or a second outcome (422).
    for (const [r] of answers) {
      if (r?.status === 'rejected') expect(r.error?.code).toBe('already-collected');
      else expect(['accepted', 'duplicate']).toContain(r?.status);
    }
    expect((await getAttempt(t, explicit)).commissions).toEqual([
      expect.objectContaining({ partnerId: partner, amount: 1000 }),
    ]);
  });

  it('claws back proportionally and cumulatively; a full refund claws back exactly what was earned', async () => {
    const { id } = await collectedSale(9999);
    await ingestAll(t, [refund('2026-07-03T00:00:00Z', id, 3333)]);
    let result = await getAttempt(t, id);
    const earned = Object.fromEntries(result.commissions.map((c) => [c.level, c.amount]));
    expect(earned).toEqual({ 1: 1000, 2: 300 });
    expect(Object.fromEntries(result.commissions.map((c) => [c.level, c.clawedBack]))).toEqual({
      1: 333,
      2: 100,
    });
    await ingestAll(t, [refund('2026-07-04T00:00:00Z', id, 6666)]);
    result = await getAttempt(t, id);
    expect(result.refunded).toBe(9999);
    expect(result.commissions.map((c) => c.clawedBack - c.amount)).toEqual([0, 0]);
  });

  it('rejects refunds above what was collected, on declined or pending attempts, and in another currency', async () => {
    const { id } = await collectedSale(1000);
    const pending = uniqueId('att');
    await ingestAll(t, [
      attempt('2026-07-01T12:00:00Z', { attemptId: pending, contactId: uniqueId('c'), items: items(500) }),
    ]);
    const results = await ingest(t, [
      refund('2026-07-05T00:00:00Z', id, 1001),
      {
        ...refund('2026-07-05T00:00:00Z', id, 10),
        data: { refundId: uniqueId('r'), attemptId: id, amount: 10, currency: 'EUR' },
      },
      refund('2026-07-05T00:00:00Z', pending, 10),
      refund('2026-07-05T00:00:00Z', id, 600),
      refund('2026-07-05T00:00:00Z', id, 600),
    ]);
    expect(results.map((r) => r.error?.code ?? r.status)).toEqual([
      'refund-exceeds-collected',
      'currency-mismatch',
      'refund-not-allowed',
      'accepted',
      'refund-exceeds-collected',
    ]);
  });

  it('never changes a decided commission when settings, programs or parents change later', async () => {
    const { id, partner, program } = await collectedSale();
    const before = await getAttempt(t, id);
    await patchSettings(t, { levels: 1, payIfUnused: true });
    await t
      .admin()
      .put(`/v1/programs/${program}`)
      .send({ name: 'Changed', default: { sale: [{ percent: '50' }] } })
      .expect(200);
    const newParent = await createPartner(t, { programIds: [program] });
    await t.admin().patch(`/v1/partners/${partner}`).send({ parentId: newParent }).expect(200);
    const after = await getAttempt(t, id);
    expect(after.commissions).toEqual(before.commissions);
    for (const c of before.commissions) {
      const detail = await t.admin().get(`/v1/commissions/${c.commissionId}`).expect(200);
      expect(detail.body.amount).toBe(c.amount);
      expect(detail.body.settingsApplied).toMatchObject({ levels: 2 });
    }
  });

  it('answers 404 for an unknown attempt or commission', async () => {
    await t.admin().get('/v1/attempts/nope').expect(404);
    await t.admin().get('/v1/commissions/nope').expect(404);
  });
});
