import { Client } from 'pg';
import {
  DEFAULT_SETTINGS,
  type AttributionExplanation,
  type DomainEvent,
  type DomainEventDataMap,
  type DomainEventType,
  type PurchaseItem,
  type Settings,
  ledgerEntryFrom,
  summarizeLedger,
} from '@app/domain';
import { LOG_START, type LogPosition, PostgresEventStore, comparePositions } from '@app/event-store';
import { Database } from '@app/platform';
import { type Projection, type ProjectionContext, ProjectionRunner } from '@app/projections';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { REPORT_PROJECTIONS } from './reports.module';

let testDb: TestDatabase;
let database: Database;
let store: PostgresEventStore;
const runners: ProjectionRunner[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = new Database(testDb.url, 10);
  store = new PostgresEventStore(database);
  await writeScenario();
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await database.close();
  await testDb.drop();
});

function runner(): ProjectionRunner {
  // A small batch size puts batch boundaries between events of one attempt.
  const r = new ProjectionRunner(REPORT_PROJECTIONS, store, database, {
    databaseUrl: testDb.url,
    batchSize: 7,
    idlePollMs: 50,
  });
  runners.push(r);
  return r;
}

// ---------------------------------------------------------------------------------------------------
// A scenario touching every rule of the four projections.

let n = 0;
const at = (iso: string) => iso;
type Written = { type: DomainEventType; data: unknown; occurredAt: string };

async function append(streamId: string, events: Written[]): Promise<LogPosition> {
  const result = await store.appendToStream(
    streamId,
    events.map((e) => ({
      eventId: `evt-${++n}`,
      type: e.type,
      data: e.data as Record<string, unknown>,
      occurredAt: e.occurredAt,
    })),
  );
  return result.position;
}

function ev<T extends DomainEventType>(type: T, data: DomainEventDataMap[T], occurredAt: string): Written {
  return { type, data, occurredAt };
}

const settings = (patch: Partial<Settings>): Settings => ({
  ...DEFAULT_SETTINGS,
  payout: { ...DEFAULT_SETTINGS.payout },
  payoutSchedule: { ...DEFAULT_SETTINGS.payoutSchedule },
  ...patch,
});

const partner = (id: string, code: string, programIds: string[], parentId: string | null = null) => ({
  id,
  code,
  name: code,
  email: null,
  parentId,
  programIds,
  status: 'active' as const,
  leadCookieDays: null,
  notifyOnLead: false,
  notifyOnSale: false,
});

function clicked(clickId: string, partnerId: string, linkId: string, adId: string | null, visitorId: string) {
  return {
    clickId,
    partnerId,
    linkId,
    adId,
    visitorId,
    ip: '203.0.113.9',
    userAgent: null,
    contactId: null,
    creditable: partnerId !== 'p3',
  };
}

const cookie = (clickId: string, linkId: string): AttributionExplanation => ({
  method: 'cookie',
  clickId,
  linkId,
  rule: 'last',
  trackingMethod: 'cookies-only',
});

async function purchase(
  attemptId: string,
  when: string,
  kind: 'order' | 'subscription' | 'renewal',
  items: PurchaseItem[],
  salePartnerId: string | null,
  how: AttributionExplanation | null,
) {
  const totalMinor = items.reduce((sum, i) => sum + i.unitPriceMinor * i.quantity, 0);
  await append(`attempt-${attemptId}`, [
    ev(
      'PurchaseAttempted',
      {
        attemptId,
        orderId: `order-${attemptId}`,
        contactId: 'john',
        kind,
        subscriptionId: kind === 'order' ? null : `sub-${attemptId}`,
        visitorId: 'v1',
        partnerCode: null,
        explicitPartnerId: null,
        ip: null,
        email: null,
        currency: 'USD',
        items,
        totalMinor,
      },
      when,
    ),
    ev(
      'AttemptAttributed',
      {
        attemptId,
        salePartnerId,
        leadPartnerId: null,
        saleAttribution: how,
        leadAttribution: null,
        renewalOf: null,
      },
      when,
    ),
  ]);
  return totalMinor;
}

function commission(
  commissionId: string,
  attemptId: string,
  partnerId: string,
  productId: string,
  amountMinor: number,
  level: 1 | 2 = 1,
) {
  return ev(
    'CommissionEarned',
    {
      commissionId,
      attemptId,
      partnerId,
      productId,
      role: 'sale',
      level,
      unused: false,
      amountMinor,
      currency: 'USD',
      programId: 'prog-a',
      rule: 'product',
      rate: { flatMinor: null, percent: '50' },
      baseMinor: amountMinor * 2,
      quantity: 1,
      lineIndex: 0,
      attribution: cookie('k1', 'l1'),
      settingsApplied: {
        attribution: 'last',
        trackingMethod: 'cookies-only',
        levels: 2,
        payIfUnused: false,
        blockSelfReferrals: true,
        payout: { sale: true, lead: false },
      },
      renewalNumber: null,
    },
    '', // set by the caller
  );
}

const withTime = (written: Written, occurredAt: string): Written => ({ ...written, occurredAt });

async function writeScenario(): Promise<void> {
  await append('settings', [
    ev('SettingsChanged', { settings: settings({}), changedKeys: [] }, at('2026-01-01T00:00:00Z')),
  ]);
  await append('partner-p1', [
    ev('PartnerEnrolled', { partner: partner('p1', 'alice', ['prog-a']) }, '2026-01-01T00:01:00Z'),
  ]);
  await append('partner-p2', [
    ev('PartnerEnrolled', { partner: partner('p2', 'bob', ['prog-b'], 'p1') }, '2026-01-01T00:02:00Z'),
  ]);
  await append('partner-p3', [
    ev('PartnerEnrolled', { partner: partner('p3', 'carl', ['prog-a']) }, '2026-01-01T00:03:00Z'),
  ]);
  for (const [linkId, code] of [
    ['l1', 'offer'],
    ['l2', 'webinar'],
  ] as const) {
    await append(`link-${linkId}`, [
      ev(
        'LinkDefined',
        { linkId, code, name: code, destinationUrl: 'https://shop.example.com', programId: null },
        '2026-01-01T00:04:00Z',
      ),
    ]);
  }

  // Clicks: the same visitor twice on one ad (one unique visitor), once without an ad, on the next day.
  await append('clicks-1', [
    ev('LinkClicked', clicked('k1', 'p1', 'l1', 'ad-solo', 'v1'), '2026-01-05T09:00:00Z'),
    ev('LinkClicked', clicked('k2', 'p1', 'l1', 'ad-solo', 'v1'), '2026-01-05T09:01:00Z'),
    ev('LinkClicked', clicked('k3', 'p1', 'l1', null, 'v2'), '2026-01-05T10:00:00Z'),
    ev('LinkClicked', clicked('k4', 'p3', 'l2', null, 'v3'), '2026-01-05T11:00:00Z'),
    ev('LinkClicked', clicked('k5', 'p1', 'l1', 'ad-solo', 'v1'), '2026-01-06T09:00:00Z'),
    ev('LinkClicked', clicked('k6', 'p2', 'l2', null, 'v4'), '2026-01-06T12:00:00Z'),
  ]);
  await append('contact-john', [
    ev(
      'ContactOptedIn',
      { contactId: 'john', visitorId: 'v1', partnerId: null, email: null, ip: null, formId: null },
      '2026-01-05T09:05:00Z',
    ),
  ]);
  await append('contact-jane', [
    ev(
      'ContactOptedIn',
      { contactId: 'jane', visitorId: 'v4', partnerId: 'p2', email: null, ip: null, formId: null },
      '2026-01-06T12:05:00Z',
    ),
  ]);
  await append('contact-carl', [
    // Only an inactive partner's click: counted for no one.
    ev(
      'ContactOptedIn',
      { contactId: 'carla', visitorId: 'v3', partnerId: null, email: null, ip: null, formId: null },
      '2026-01-05T11:05:00Z',
    ),
  ]);

  // Seed 000: trial and premium collected, annual declined three times.
  await purchase(
    'trial',
    '2026-01-05T09:10:00Z',
    'order',
    [{ productId: 'san-trial', quantity: 1, unitPriceMinor: 100 }],
    'p1',
    cookie('k2', 'l1'),
  );
  await append('attempt-trial', [
    ev('PaymentCollected', { attemptId: 'trial', amountMinor: 100, currency: 'USD' }, '2026-01-05T09:10:01Z'),
    withTime(commission('c-trial', 'trial', 'p1', 'san-trial', 50), '2026-01-05T09:10:01Z'),
  ]);
  const bundle = [
    { productId: 'premium', quantity: 1, unitPriceMinor: 9700 },
    { productId: 'bonus', quantity: 3, unitPriceMinor: 101 },
  ];
  await purchase('premium', '2026-01-05T09:20:00Z', 'order', bundle, 'p1', cookie('k2', 'l1'));
  await append('attempt-premium', [
    ev(
      'PaymentCollected',
      { attemptId: 'premium', amountMinor: 10003, currency: 'USD' },
      '2026-01-05T09:20:01Z',
    ),
    withTime(commission('c-premium', 'premium', 'p1', 'premium', 4850), '2026-01-05T09:20:01Z'),
    withTime(commission('c-premium-2', 'premium', 'p2', 'premium', 970, 2), '2026-01-05T09:20:01Z'),
  ]);
  for (const id of ['annual-1', 'annual-2', 'annual-3']) {
    await purchase(
      id,
      '2026-01-05T09:30:00Z',
      'subscription',
      [{ productId: 'annual', quantity: 1, unitPriceMinor: 29700 }],
      'p1',
      cookie('k2', 'l1'),
    );
    await append(`attempt-${id}`, [
      ev('PaymentDeclined', { attemptId: id, reason: 'card declined' }, '2026-01-05T09:30:01Z'),
    ]);
  }
  // Pending, explicit partner (no link), and one with no partner at all.
  await purchase(
    'pending',
    '2026-01-06T08:00:00Z',
    'order',
    [{ productId: 'premium', quantity: 2, unitPriceMinor: 9700 }],
    'p1',
    {
      method: 'explicit',
      rule: 'last',
      trackingMethod: 'cookies-only',
    },
  );
  await purchase(
    'orphan',
    '2026-01-06T08:00:00Z',
    'order',
    [{ productId: 'premium', quantity: 1, unitPriceMinor: 9700 }],
    null,
    null,
  );

  // Two partial refunds on the bundle, clawing back proportionally.
  await append('attempt-premium', [
    ev(
      'RefundIssued',
      { refundId: 'r1', attemptId: 'premium', amountMinor: 5001, currency: 'USD' },
      '2026-01-07T10:00:00Z',
    ),
    ev(
      'CommissionClawedBack',
      {
        commissionId: 'c-premium',
        attemptId: 'premium',
        partnerId: 'p1',
        productId: 'premium',
        refundId: 'r1',
        amountMinor: 2425,
        clawedBackTotalMinor: 2425,
        currency: 'USD',
      },
      '2026-01-07T10:00:00Z',
    ),
  ]);
  await append('attempt-premium', [
    ev(
      'RefundIssued',
      { refundId: 'r2', attemptId: 'premium', amountMinor: 5002, currency: 'USD' },
      '2026-01-08T10:00:00Z',
    ),
  ]);

  // Money moves recorded late with earlier business times shift the balances after them.
  await append('ledger-p1', [
    ev(
      'LedgerAdjusted',
      {
        adjustmentId: 'adj-1',
        partnerId: 'p1',
        amountMinor: -300,
        reason: 'correction',
        occurredAt: '2026-01-05T09:15:00Z',
      },
      '2026-01-09T00:00:00Z',
    ),
    ev(
      'PartnerPaid',
      {
        paymentId: 'pay-1',
        partnerId: 'p1',
        amountMinor: 1000,
        currency: 'USD',
        paymentType: 'check',
        paidAt: '2026-01-06T00:00:00Z',
        note: null,
        batchId: 'Batch-20260106',
      },
      '2026-01-09T00:00:01Z',
    ),
  ]);
  await append('partner-p2', [
    ev(
      'PartnerChanged',
      { partnerId: 'p2', changes: { programIds: ['prog-a', 'prog-b'] } },
      '2026-01-09T00:00:02Z',
    ),
  ]);

  // From here on local days are Bogota days (UTC-5): 04:30Z on the 15th is the evening of the 14th.
  await append('settings', [
    ev(
      'SettingsChanged',
      { settings: settings({ timezone: 'America/Bogota' }), changedKeys: ['timezone'] },
      '2026-01-10T00:00:00Z',
    ),
  ]);
  await append('clicks-2', [
    ev('LinkClicked', clicked('k7', 'p1', 'l2', null, 'v9'), '2026-01-15T04:30:00Z'),
  ]);
}

// ---------------------------------------------------------------------------------------------------

async function snapshot(
  projections: readonly Projection[] = REPORT_PROJECTIONS,
): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const projection of projections) {
    for (const table of projection.tables) {
      const { rows } = await database.query<{ r: string }>(
        `SELECT to_jsonb(t)::text AS r FROM "${table}" t ORDER BY 1`,
      );
      tables[table] = rows.map((row) => row.r);
    }
  }
  return tables;
}

async function buildIncrementally(): Promise<ProjectionRunner> {
  const r = runner();
  await r.start();
  const head = await store.committedHead();
  expect(await r.waitFor(head, 15_000)).toBe(true);
  return r;
}

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await database.query<T & Record<string, unknown>>(sql, params)).rows;
}

describe('report projections', () => {
  it('build the numbers of the scenario', async () => {
    await buildIncrementally();

    const products = await rows(
      `SELECT partner_id, product_id, day::text, sold::int, quantity::int, declined::int, collected::int,
              collected_minor::int, refunded_minor::int FROM products_sold_daily ORDER BY 1, 2, 3`,
    );
    expect(products).toEqual([
      // 5001 then 5002 refunded of 10003: 9700/10003 and 303/10003 of the total, cumulatively.
      {
        partner_id: 'p1',
        product_id: 'annual',
        day: '2026-01-05',
        sold: 3,
        quantity: 3,
        declined: 3,
        collected: 0,
        collected_minor: 0,
        refunded_minor: 0,
      },
      {
        partner_id: 'p1',
        product_id: 'bonus',
        day: '2026-01-05',
        sold: 1,
        quantity: 3,
        declined: 0,
        collected: 1,
        collected_minor: 303,
        refunded_minor: 303,
      },
      {
        partner_id: 'p1',
        product_id: 'premium',
        day: '2026-01-05',
        sold: 1,
        quantity: 1,
        declined: 0,
        collected: 1,
        collected_minor: 9700,
        refunded_minor: 9700,
      },
      {
        partner_id: 'p1',
        product_id: 'premium',
        day: '2026-01-06',
        sold: 1,
        quantity: 2,
        declined: 0,
        collected: 0,
        collected_minor: 0,
        refunded_minor: 0,
      },
      {
        partner_id: 'p1',
        product_id: 'san-trial',
        day: '2026-01-05',
        sold: 1,
        quantity: 1,
        declined: 0,
        collected: 1,
        collected_minor: 100,
        refunded_minor: 0,
      },
    ]);

    const stats = await rows(
      `SELECT partner_id, link_id, ad_id, day::text, clicks::int, unique_visitors::int, opt_ins::int, orders::int,
              subscriptions::int, declined::int, collected::int, revenue_minor::int FROM link_stats_daily ORDER BY 1, 2, 3, 4`,
    );
    expect(stats).toEqual([
      // The explicit-partner attempt counts under "no link".
      {
        partner_id: 'p1',
        link_id: '',
        ad_id: '',
        day: '2026-01-06',
        clicks: 0,
        unique_visitors: 0,
        opt_ins: 0,
        orders: 1,
        subscriptions: 0,
        declined: 0,
        collected: 0,
        revenue_minor: 0,
      },
      {
        partner_id: 'p1',
        link_id: 'l1',
        ad_id: '',
        day: '2026-01-05',
        clicks: 1,
        unique_visitors: 1,
        opt_ins: 0,
        orders: 0,
        subscriptions: 0,
        declined: 0,
        collected: 0,
        revenue_minor: 0,
      },
      {
        partner_id: 'p1',
        link_id: 'l1',
        ad_id: 'ad-solo',
        day: '2026-01-05',
        clicks: 2,
        unique_visitors: 1,
        opt_ins: 1,
        orders: 2,
        subscriptions: 3,
        declined: 3,
        collected: 2,
        revenue_minor: 10103,
      },
      {
        partner_id: 'p1',
        link_id: 'l1',
        ad_id: 'ad-solo',
        day: '2026-01-06',
        clicks: 1,
        unique_visitors: 1,
        opt_ins: 0,
        orders: 0,
        subscriptions: 0,
        declined: 0,
        collected: 0,
        revenue_minor: 0,
      },
      // Bogota: the click at 04:30Z on the 15th lands on the 14th.
      {
        partner_id: 'p1',
        link_id: 'l2',
        ad_id: '',
        day: '2026-01-14',
        clicks: 1,
        unique_visitors: 1,
        opt_ins: 0,
        orders: 0,
        subscriptions: 0,
        declined: 0,
        collected: 0,
        revenue_minor: 0,
      },
      {
        partner_id: 'p2',
        link_id: 'l2',
        ad_id: '',
        day: '2026-01-06',
        clicks: 1,
        unique_visitors: 1,
        opt_ins: 1,
        orders: 0,
        subscriptions: 0,
        declined: 0,
        collected: 0,
        revenue_minor: 0,
      },
      {
        partner_id: 'p3',
        link_id: 'l2',
        ad_id: '',
        day: '2026-01-05',
        clicks: 1,
        unique_visitors: 1,
        opt_ins: 0,
        orders: 0,
        subscriptions: 0,
        declined: 0,
        collected: 0,
        revenue_minor: 0,
      },
    ]);

    const reconciliation = await rows(
      `SELECT partner_id, product_id, sum(attempts)::int AS attempts, sum(declined)::int AS declined, sum(pending)::int AS pending,
              sum(collected)::int AS collected, sum(commission_earned_minor)::int AS earned,
              sum(commission_clawed_back_minor)::int AS clawed_back
         FROM reconciliation_daily GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(reconciliation).toEqual([
      {
        partner_id: 'p1',
        product_id: 'annual',
        attempts: 3,
        declined: 3,
        pending: 0,
        collected: 0,
        earned: 0,
        clawed_back: 0,
      },
      {
        partner_id: 'p1',
        product_id: 'bonus',
        attempts: 1,
        declined: 0,
        pending: 0,
        collected: 1,
        earned: 0,
        clawed_back: 0,
      },
      {
        partner_id: 'p1',
        product_id: 'premium',
        attempts: 2,
        declined: 0,
        pending: 1,
        collected: 1,
        earned: 4850,
        clawed_back: 2425,
      },
      {
        partner_id: 'p1',
        product_id: 'san-trial',
        attempts: 1,
        declined: 0,
        pending: 0,
        collected: 1,
        earned: 50,
        clawed_back: 0,
      },
      {
        partner_id: 'p2',
        product_id: 'premium',
        attempts: 0,
        declined: 0,
        pending: 0,
        collected: 0,
        earned: 970,
        clawed_back: 0,
      },
    ]);

    expect(
      await rows(`SELECT partner_id, code, program_ids FROM ledger_partners ORDER BY partner_id COLLATE "C"`),
    ).toEqual([
      { partner_id: 'p1', code: 'alice', program_ids: ['prog-a'] },
      { partner_id: 'p2', code: 'bob', program_ids: ['prog-a', 'prog-b'] },
      { partner_id: 'p3', code: 'carl', program_ids: ['prog-a'] },
    ]);
  });

  it('keeps every ledger balance equal to the domain summary of the log', async () => {
    await buildIncrementally();
    const page = await store.readAll(LOG_START, { limit: 10_000 });
    const entries = page.events
      .map((e) =>
        ledgerEntryFrom({ type: e.type, data: e.data } as unknown as DomainEvent, e.occurredAt, e.eventId),
      )
      .filter((e) => e !== null);
    for (const partnerId of ['p1', 'p2']) {
      const expected = summarizeLedger(
        entries.filter((e) => e.partnerId === partnerId),
        '2000-01-01T00:00:00.000Z',
        '2100-01-01T00:00:00.000Z',
      ).entries.map((line) => ({
        entry_id: line.entryId,
        amount: line.amountMinor,
        balance: line.balanceMinor,
      }));
      const stored = await rows(
        // Balances are computed when read (no stored running balance): a window over the entries.
        `SELECT entry_id, amount_minor::int AS amount,
                (sum(amount_minor) OVER (ORDER BY occurred_at, log_txid, log_seq))::int AS balance
           FROM ledger_entries WHERE partner_id = $1 ORDER BY occurred_at, log_txid, log_seq`,
        [partnerId],
      );
      expect(stored).toEqual(expected);
    }
    expect(
      await rows(
        `SELECT entry_id, (sum(amount_minor) OVER (ORDER BY occurred_at, log_txid, log_seq))::int AS balance
           FROM ledger_entries WHERE partner_id = 'p1' ORDER BY occurred_at`,
      ),
    ).toEqual([
      { entry_id: 'c-trial', balance: 50 },
      { entry_id: 'adj-1', balance: -250 },
      { entry_id: 'c-premium', balance: 4600 },
      { entry_id: 'pay-1', balance: 3600 },
      { entry_id: 'c-premium:r1', balance: 1175 },
    ]);
  });

  it('rebuilt from zero, every read model equals the incrementally built one', async () => {
    const r = await buildIncrementally();
    const incremental = await snapshot();
    // Damage the live tables: the rebuild must not depend on them.
    await database.query(`UPDATE link_stats_daily SET clicks = clicks + 100`);
    await database.query(`DELETE FROM ledger_entries WHERE entry_type = 'payment'`);
    await database.query(`UPDATE products_sold_daily SET sold = 0`);
    await database.query(`DELETE FROM reconciliation_attempts`);
    for (const projection of REPORT_PROJECTIONS) expect(await r.requestRebuild(projection.name)).toBe(true);
    const deadline = Date.now() + 20_000;
    const names = new Set(REPORT_PROJECTIONS.map((p) => p.name));
    for (;;) {
      const states = (await r.states()).filter((s) => names.has(s.name));
      if (states.every((s) => s.status === 'running' && s.rebuildPosition === null)) break;
      if (Date.now() > deadline) throw new Error(`rebuild did not finish: ${JSON.stringify(states)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await snapshot()).toEqual(incremental);
  });

  it('applying the same batch twice changes nothing', async () => {
    const r = await buildIncrementally();
    const before = await snapshot();
    const head = await store.committedHead();
    const client = new Client({ connectionString: testDb.url });
    await client.connect();
    try {
      for (const projection of REPORT_PROJECTIONS) {
        const page = await store.readAll(LOG_START, {
          limit: 10_000,
          types: projection.handles === 'all' ? undefined : projection.handles,
        });
        expect(comparePositions(page.next, LOG_START)).toBeGreaterThan(0);
        // Through the runner (which drops events at or before the checkpoint)...
        await r.applyBatch(projection, client, page.events, head, false);
        // ...and straight into the projection, which skips what its own state row says it applied.
        const context: ProjectionContext = {
          query: (text, params) => client.query(text, params as unknown[]),
          table: (name) => `"${name}"`,
        };
        await client.query('BEGIN');
        await projection.apply(page.events, context);
        await projection.apply(page.events, context);
        await client.query('COMMIT');
      }
    } finally {
      await client.end();
    }
    expect(await snapshot()).toEqual(before);
  });
});
