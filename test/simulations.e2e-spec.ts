/** POST /v1/simulations over HTTP against the real app: what-if replays that write nothing. */
import { Client } from 'pg';
import { RunSimulationHandler, RunSimulationQuery, simulationRequestFrom } from '@app/core';
import {
  attempt,
  collect,
  createPartner,
  createProgram,
  decline,
  ingestAll,
  refund,
  uniqueId,
} from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let auditorKey: string;
let ingestKey: string;
let lastPosition: string;

interface Amounts {
  commissions: number;
  clawbacks: number;
  net: number;
}
interface Row {
  partnerId: string;
  productId: string;
  actual: Amounts;
  simulated: Amounts;
  difference: Amounts;
}
interface Simulation {
  from: string;
  to: string;
  currency: string;
  position: string;
  actual: Amounts;
  simulated: Amounts;
  difference: Amounts;
  rows: Row[];
  replayed: { collections: number; refunds: number; attempts: number; events: number };
  skipped: { otherCurrency: number; inconsistentStream: number };
  applied: { settings: { levels: number }; draftProgramIds: string[] };
  writesNothing: boolean;
  note: string;
}

/** The program every partner of the scenario is in: 10% and 3%, a flat rate on trials, renewals capped at 2. */
const STANDARD = {
  id: 'standard',
  name: 'Standard',
  default: { sale: [{ percent: '10' }, { percent: '3' }], maxRenewals: 2 },
  products: { trial: { sale: [{ flat: 50 }, { flat: 10 }] } },
};

const ZERO = { commissions: 0, clawbacks: 0, net: 0 };
const items = (productId: string, unitPrice: number, quantity = 1) => [{ productId, quantity, unitPrice }];

beforeAll(async () => {
  t = await startTestApp();
  for (const role of ['auditor', 'ingest'] as const) {
    const key = (
      await t
        .admin()
        .post('/v1/api-keys')
        .send({ name: `${role}-simulations`, role })
        .expect(201)
    ).body.key as string;
    if (role === 'auditor') auditorKey = key;
    else ingestKey = key;
  }
  await createProgram(t, STANDARD);
  // cat <- ben <- amy: amy sells, ben is her parent, cat her grandparent (unpaid at levels 2).
  await createPartner(t, { id: 'cat', code: 'Cat', programIds: ['standard'], email: 'cat@example.com' });
  await createPartner(t, { id: 'ben', code: 'Ben', programIds: ['standard'], parentId: 'cat' });
  await createPartner(t, { id: 'amy', code: 'Amy', programIds: ['standard'], parentId: 'ben' });
  await createPartner(t, { id: 'dan', code: 'Dan', programIds: ['standard'] });

  const sale = (id: string, at: string, partnerCode: string, lines: ReturnType<typeof items>, extra = {}) =>
    attempt(at, { attemptId: id, contactId: uniqueId('c'), partnerCode, items: lines, ...extra });
  const results = await ingestAll(t, [
    // Collected in December, refunded in January: only the refund is in January.
    sale('dec-1', '2025-12-28T10:00:00Z', 'Amy', items('premium', 9700)),
    collect('2025-12-28T10:00:01Z', 'dec-1'),
    refund('2026-01-15T12:00:00Z', 'dec-1', 9700, 'r-dec-1'),
    // January: a premium half refunded, a basket, a trial, a declined annual, Dan's sale.
    sale('jan-1', '2026-01-05T09:10:00Z', 'Amy', items('premium', 9700)),
    collect('2026-01-05T09:10:02Z', 'jan-1'),
    refund('2026-01-20T12:00:00Z', 'jan-1', 4850, 'r-jan-1'),
    sale('jan-2', '2026-01-10T10:00:00Z', 'Amy', [
      { productId: 'basic', quantity: 3, unitPrice: 2900 },
      { productId: 'addon', quantity: 1, unitPrice: 1555 },
    ]),
    collect('2026-01-10T10:00:01Z', 'jan-2'),
    sale('jan-3', '2026-01-11T10:00:00Z', 'Amy', items('trial', 100, 2)),
    collect('2026-01-11T10:00:01Z', 'jan-3'),
    sale('jan-4', '2026-01-12T10:00:00Z', 'Amy', items('annual', 29700)),
    decline('2026-01-12T10:00:01Z', 'jan-4'),
    sale('jan-5', '2026-01-13T10:00:00Z', 'Dan', items('premium', 9700)),
    collect('2026-01-13T10:00:01Z', 'jan-5'),
    // A subscription and three renewals: the third is past maxRenewals and earned nothing.
    sale('sub-1', '2026-01-02T10:00:00Z', 'Amy', items('monthly', 1000), {
      kind: 'subscription',
      subscriptionId: 'subscription-1',
    }),
    collect('2026-01-02T10:00:01Z', 'sub-1'),
    ...[1, 2, 3].flatMap((n) => [
      attempt(`2026-01-${20 + n}T10:00:00Z`, {
        attemptId: `ren-${n}`,
        contactId: uniqueId('c'),
        kind: 'renewal',
        subscriptionId: 'subscription-1',
        items: items('monthly', 1000),
      }),
      collect(`2026-01-${20 + n}T10:00:01Z`, `ren-${n}`),
    ]),
    // February: out of the range of the tests.
    sale('feb-1', '2026-02-03T10:00:00Z', 'Amy', items('premium', 9700)),
    collect('2026-02-03T10:00:01Z', 'feb-1'),
  ]);
  lastPosition = results[results.length - 1]!.position!;
}, 120_000);

afterAll(async () => {
  await t.close();
});

async function simulate(body: Record<string, unknown>, key?: string): Promise<Simulation> {
  const agent = key ? t.as(key) : t.admin();
  const response = await agent.post('/v1/simulations').send(body);
  if (response.status !== 200)
    throw new Error(`simulate: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Simulation;
}

const JANUARY = { from: '2026-01-01', to: '2026-01-31' };
const row = (s: Simulation, partnerId: string, productId: string) =>
  s.rows.find((r) => r.partnerId === partnerId && r.productId === productId);

describe('POST /v1/simulations', () => {
  it('replays to exactly the recorded money when the draft is the current program', async () => {
    const s = await simulate({ ...JANUARY, programs: { standard: STANDARD } }, auditorKey);

    expect(s).toMatchObject({ ...JANUARY, currency: 'USD', writesNothing: true });
    expect(s.note).toMatch(/nothing was written/);
    expect(s.rows.length).toBeGreaterThan(5);
    for (const r of s.rows) {
      expect([r.partnerId, r.productId, r.difference]).toEqual([r.partnerId, r.productId, ZERO]);
      expect(r.simulated).toEqual(r.actual);
    }
    expect(s.difference).toEqual(ZERO);
    // The refund of December's sale is in January; its collection is not.
    expect(row(s, 'amy', 'premium')?.actual).toEqual({ commissions: 970, clawbacks: 970 + 485, net: -485 });
    // 1 subscription + 3 renewals collected, 5 sales collected, 2 refunds.
    expect(s.replayed).toMatchObject({ collections: 8, refunds: 2 });
    expect(s.replayed.events).toBeGreaterThan(s.replayed.attempts);
    expect(s.skipped).toEqual({ otherCurrency: 0, inconsistentStream: 0 });
    expect(s.position).toMatch(/^\d+-\d+$/);
    // Rows are sorted by partner, then product.
    const keys = s.rows.map((r) => `${r.partnerId}\u0000${r.productId}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('states the same actual money as the ledger report of the range', async () => {
    const s = await simulate(JANUARY);
    const ledger = await t
      .admin()
      .get('/v1/reports/ledger')
      .query({ ...JANUARY, waitFor: lastPosition })
      .expect(200);
    for (const partner of ledger.body.rows as {
      partnerId: string;
      commissions: number;
      clawbacks: number;
    }[]) {
      const rows = s.rows.filter((r) => r.partnerId === partner.partnerId);
      expect([
        partner.partnerId,
        rows.reduce((sum, r) => sum + r.actual.commissions, 0),
        rows.reduce((sum, r) => sum + r.actual.clawbacks, 0),
      ]).toEqual([partner.partnerId, partner.commissions, partner.clawbacks]);
    }
    // Without a draft nothing changes either.
    expect(s.difference).toEqual(ZERO);
  });

  it('doubles percent commissions line by line, and claws back proportionally from them', async () => {
    const doubled = {
      ...STANDARD,
      default: { sale: [{ percent: '20' }, { percent: '6' }], maxRenewals: 2 },
    };
    const s = await simulate({ ...JANUARY, programs: { standard: doubled } });

    expect(s.applied.draftProgramIds).toEqual(['standard']);
    // premium: 970 earned in January (jan-1), refunds of 9700 (dec-1, all of 970) and 4850 (jan-1, 485).
    expect(row(s, 'amy', 'premium')?.simulated).toEqual({
      commissions: 1940,
      clawbacks: 1940 + 970,
      net: -970,
    });
    expect(row(s, 'ben', 'premium')?.simulated).toEqual({
      commissions: 582,
      clawbacks: 582 + 291,
      net: -291,
    });
    // basic: 3 x 2900 = 8700 -> 870 -> 1740; addon 1555 -> 155.5 rounds to 156 for real, 311 doubled.
    expect(row(s, 'amy', 'basic')).toMatchObject({
      actual: { commissions: 870 },
      simulated: { commissions: 1740 },
    });
    expect(row(s, 'amy', 'addon')).toMatchObject({
      actual: { commissions: 156 },
      simulated: { commissions: 311 },
    });
    // The flat trial rule is not drafted differently: unchanged.
    expect(row(s, 'amy', 'trial')?.difference).toEqual(ZERO);
    for (const r of s.rows.filter((x) => x.productId !== 'trial')) {
      expect(Math.abs(r.simulated.commissions - 2 * r.actual.commissions)).toBeLessThanOrEqual(3);
    }
  });

  it('with a third level, shows the new grandparent’s amounts', async () => {
    const three = {
      ...STANDARD,
      default: { sale: [{ percent: '10' }, { percent: '3' }, { percent: '1' }], maxRenewals: 2 },
      products: { trial: { sale: [{ flat: 50 }, { flat: 10 }, { flat: 5 }] } },
    };
    const s = await simulate({ ...JANUARY, programs: { standard: three }, settings: { levels: 3 } });

    expect(s.applied.settings.levels).toBe(3);
    expect(row(s, 'cat', 'premium')).toEqual({
      partnerId: 'cat',
      productId: 'premium',
      actual: ZERO,
      // 1% of jan-1's 9700, minus the refunds' shares: all of dec-1's 97, half of jan-1's.
      simulated: { commissions: 97, clawbacks: 97 + 49, net: -49 },
      difference: { commissions: 97, clawbacks: 146, net: -49 },
    });
    expect(row(s, 'cat', 'trial')?.simulated.commissions).toBe(10); // 5 x 2 trials
    expect(row(s, 'cat', 'basic')?.simulated.commissions).toBe(87);
    // Amy and Ben keep what they had; Dan has no parent to add.
    for (const r of s.rows.filter((x) => x.partnerId !== 'cat')) expect(r.difference).toEqual(ZERO);
  });

  it('counts earlier renewals from the log, also for a renewal that earned nothing', async () => {
    const current = await simulate(JANUARY);
    expect(row(current, 'amy', 'monthly')?.actual.commissions).toBe(100 + 100 + 100); // sub + 2 renewals
    const more = { ...STANDARD, default: { ...STANDARD.default, maxRenewals: 3 } };
    const s = await simulate({ ...JANUARY, programs: { standard: more } });
    expect(row(s, 'amy', 'monthly')?.difference.commissions).toBe(100); // the third renewal pays
    expect(row(s, 'ben', 'monthly')?.difference.commissions).toBe(30);
  });

  it('gives unused levels to the level-1 partner when the draft settings say so', async () => {
    const s = await simulate({ ...JANUARY, settings: { levels: 3, payIfUnused: true } });
    // Dan has no parent: with payIfUnused, his levels 2 and 3 go to him, marked unused. The program
    // has no level-3 rate, so only level 2 adds: 3% of 9700.
    expect(row(s, 'dan', 'premium')?.difference.commissions).toBe(291);
  });

  it('keeps only the partners asked for', async () => {
    const s = await simulate({ ...JANUARY, partnerIds: ['ben'] });
    expect(new Set(s.rows.map((r) => r.partnerId))).toEqual(new Set(['ben']));
    expect(s.actual.commissions).toBe(s.rows.reduce((sum, r) => sum + r.actual.commissions, 0));
  });

  it('leaves the live ledger byte for byte as it was', async () => {
    await t
      .admin()
      .get('/v1/reports/ledger')
      .query({ ...JANUARY, waitFor: lastPosition })
      .expect(200);
    const snapshot = async () => {
      const client = new Client({ connectionString: t.database.url });
      await client.connect();
      try {
        const tables: Record<string, string> = {};
        for (const [table, order] of [
          ['events', 'global_position'],
          ['event_streams', 'stream_id'],
          ['ledger_entries', 'entry_id'],
          ['commissions', 'commission_id'],
          ['attempts', 'attempt_id'],
          ['subscriptions', 'subscription_id'],
          ['programs', 'program_id'],
          ['settings_current', 'singleton'],
        ] as const) {
          const { rows } = await client.query<{ dump: string | null }>(
            `SELECT json_agg(t ORDER BY ${order})::text AS dump FROM ${table} t`,
          );
          tables[table] = rows[0]?.dump ?? '';
        }
        const { rows } = await client.query<{ n: string }>(
          "SELECT count(*)::text AS n FROM pg_tables WHERE schemaname = 'public'",
        );
        tables['table count'] = rows[0]!.n;
        return tables;
      } finally {
        await client.end();
      }
    };
    const report = async () =>
      [
        (await t.admin().get('/v1/reports/ledger').query(JANUARY).expect(200)).text,
        (
          await t
            .admin()
            .get('/v1/reports/ledger')
            .query({ ...JANUARY, format: 'csv' })
            .expect(200)
        ).text,
        (await t.admin().get('/v1/partners/amy/ledger').query(JANUARY).expect(200)).text,
      ].join('\n');
    const before = { tables: await snapshot(), report: await report() };
    expect(before.tables['ledger_entries']?.length).toBeGreaterThan(100);

    await simulate({
      ...JANUARY,
      programs: {
        standard: {
          ...STANDARD,
          default: { sale: [{ percent: '50' }, { percent: '20' }, { percent: '5' }] },
        },
      },
      settings: { levels: 3, payIfUnused: true, blockSelfReferrals: false, payout: { lead: true } },
    });
    await simulate({ from: '2025-01-01', to: '2026-12-31' });

    expect(await snapshot()).toEqual(before.tables);
    expect(await report()).toBe(before.report);
    // The program as stored is untouched by the draft.
    expect((await t.admin().get('/v1/programs/standard').expect(200)).body.default.sale[0].percent).toBe(
      '10',
    );
  });

  it('answers the same in pages of any size, and reports its progress', async () => {
    const body = {
      ...JANUARY,
      programs: { standard: { ...STANDARD, default: { sale: [{ percent: '12' }] } } },
    };
    const whole = await simulate(body);
    const progress: [number, number][] = [];
    const paged = await t.app.get(RunSimulationHandler).execute(
      new RunSimulationQuery(simulationRequestFrom(body), {
        pageSize: 2,
        onProgress: (done, total) => progress.push([done, total]),
      }),
    );
    expect(JSON.parse(JSON.stringify(paged))).toEqual(whole);
    // 8 collections in pages of 2, then 2 refunds in one page.
    expect(progress).toEqual([
      [0, 10],
      [2, 10],
      [4, 10],
      [6, 10],
      [8, 10],
      [10, 10],
    ]);
  });

  it('answers an empty range with zeros', async () => {
    const s = await simulate({ from: '2030-01-01', to: '2030-12-31', settings: { levels: 1 } });
    expect(s).toMatchObject({ actual: ZERO, simulated: ZERO, difference: ZERO, rows: [] });
    expect(s.replayed).toMatchObject({ collections: 0, refunds: 0, attempts: 0 });
  });

  it('answers 400 with the path of every field at fault, never 500', async () => {
    const bad = async (body: unknown) => {
      const response = await t
        .admin()
        .post('/v1/simulations')
        .send(body as object);
      expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      return [...new Set((response.body.errors as { path: string }[]).map((e) => e.path))];
    };
    expect(await bad({})).toEqual(expect.arrayContaining(['from', 'to']));
    expect(await bad({ from: '2026-02-01', to: '2026-01-01' })).toEqual(['to']);
    expect(await bad({ from: '2026-02-30', to: '2026-03-01' })).toEqual(['from']);
    expect(await bad({ from: '0001-01-01', to: '2026-03-01' })).toEqual(['from']);
    expect(
      await bad({
        ...JANUARY,
        programs: { standard: { name: 'S', default: { sale: [{ percent: '120' }] } } },
      }),
    ).toEqual(['programs.standard.default.sale[0].percent']);
    expect(await bad({ ...JANUARY, programs: { standard: { default: { sale: [] } } } })).toContain(
      'programs.standard.name',
    );
    expect(await bad({ ...JANUARY, programs: { standard: { id: 'vip', name: 'S' } } })).toEqual([
      'programs.standard.id',
    ]);
    expect(await bad({ ...JANUARY, programs: { 'bad key!': { name: 'S' } } })).toEqual(['programs.bad key!']);
    expect(await bad({ ...JANUARY, programs: { standard: 'x' } })).toEqual(['programs.standard']);
    expect(await bad({ ...JANUARY, programs: [] })).toEqual(['programs']);
    expect(await bad({ ...JANUARY, settings: { levels: 4 } })).toEqual(['settings.levels']);
    expect(await bad({ ...JANUARY, settings: { currency: 'EUR' } })).toEqual(['settings.currency']);
    expect(await bad({ ...JANUARY, settings: { payout: { sale: 'yes' } } })).toEqual([
      'settings.payout.sale',
    ]);
    expect(await bad({ ...JANUARY, settings: null })).toEqual(['settings']);
    expect(await bad({ ...JANUARY, partnerIds: 'amy' })).toContain('partnerIds');
    expect(await bad({ ...JANUARY, partnerIds: ['amy', 'amy'] })).toEqual(['partnerIds']);
    expect(await bad({ ...JANUARY, partnerIds: ['bad id!'] })).toEqual(['partnerIds']);
    expect(await bad({ ...JANUARY, extra: 1 })).toEqual(['extra']);
    expect(
      await bad({
        ...JANUARY,
        programs: { standard: { name: 'S', products: { constructor: { sale: [] } } } },
      }),
    ).toEqual(['programs.standard.products.constructor']);
  });

  it('is for admins and auditors only', async () => {
    await t.as(auditorKey).post('/v1/simulations').send(JANUARY).expect(200);
    await t.as(ingestKey).post('/v1/simulations').send(JANUARY).expect(403);
    await t.http().post('/v1/simulations').send(JANUARY).expect(401);
  });

  it('is described in the OpenAPI document with its request and response', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const operation = doc.paths['/v1/simulations']?.['post'];
    expect(operation).toBeDefined();
    expect(Object.keys(operation!.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '413',
      '415',
      '503',
    ]);
    expect(JSON.stringify(operation!.requestBody)).toContain('RunSimulationRequest');
    expect(Object.keys(doc.components.schemas['SimulationResponseDocument']?.properties ?? {})).toEqual(
      expect.arrayContaining(['actual', 'simulated', 'difference', 'rows', 'writesNothing']),
    );
    expect(Object.keys(doc.components.schemas['RunSimulationRequest']?.properties ?? {})).toEqual(
      expect.arrayContaining(['from', 'to', 'programs', 'settings', 'partnerIds']),
    );
  });
});
