import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { Database, loadConfig } from '@app/platform';
import { type Projection, type ProjectionContext, ProjectionRunner } from '@app/projections';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ReadModelVerifier } from './read-model-verifier';

let testDb: TestDatabase;
let database: Database;
let store: PostgresEventStore;
let runner: ProjectionRunner;

/** What verify's replay ran in: the transaction of each apply and the connection's name. */
const replayed = { transactions: new Set<string>(), applications: new Set<string>(), events: 0 };

/** Counts events per stream, set-based; records where the replay (tables named `__verify`) runs. */
const counting: Projection = {
  name: 'verify-counting',
  handles: ['Counted'],
  tables: ['verify_counts'],
  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext) {
    const table = ctx.table('verify_counts');
    if (table.includes('__verify')) {
      const { rows } = await ctx.query<{ xid: string; app: string }>(
        `SELECT pg_current_xact_id()::text AS xid, current_setting('application_name') AS app`,
      );
      for (const row of rows) {
        replayed.transactions.add(row.xid);
        replayed.applications.add(row.app);
      }
      replayed.events += events.length;
    }
    const perStream = new Map<string, number>();
    for (const e of events) perStream.set(e.streamId, (perStream.get(e.streamId) ?? 0) + 1);
    await ctx.query(
      `INSERT INTO ${table} (stream_id, n) SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (stream_id) DO UPDATE SET n = ${table}.n + EXCLUDED.n`,
      [[...perStream.keys()], [...perStream.values()]],
    );
  },
};

const EVENTS = 120;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = new Database(testDb.url, 4);
  store = new PostgresEventStore(database);
  await database.query('CREATE TABLE verify_counts (stream_id text PRIMARY KEY, n integer NOT NULL)');
  for (let i = 0; i < EVENTS; i += 10) {
    await store.appendToStream(
      `s-${i % 3}`,
      Array.from({ length: 10 }, (_, k) => ({
        eventId: `e-${i + k}`,
        type: 'Counted',
        data: { n: i + k },
        occurredAt: new Date().toISOString(),
      })),
    );
  }
  runner = new ProjectionRunner([counting], store, database, { databaseUrl: testDb.url, idlePollMs: 50 });
  await runner.start();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { rows } = await database.query<{ n: string | null }>(
      'SELECT sum(n)::text AS n FROM verify_counts',
    );
    if (Number(rows[0]?.n ?? 0) === EVENTS) break;
    if (Date.now() > deadline) throw new Error('the projection did not catch up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

afterAll(async () => {
  await runner.stop();
  await database.close();
  await testDb.drop();
});

beforeEach(() => {
  replayed.transactions.clear();
  replayed.applications.clear();
  replayed.events = 0;
});

/** A verifier whose replay transactions aim at a quarter of `budgetMs`. */
const verifier = (budgetMs: string) =>
  new ReadModelVerifier(database, [counting], loadConfig({ PROJECTION_TRANSACTION_MS: budgetMs }));

describe("verify's replay under a small time budget", () => {
  it('runs in many short transactions on a connection named verify:<name>, and finds the tables equal', async () => {
    const result = await verifier('1').check();
    expect(result).toEqual({ checkedEvents: EVENTS, differences: [] });
    expect(replayed.events).toBe(EVENTS);
    // One page of the log (120 events), yet more than one transaction; more even than the 4 a large
    // budget makes of it (a first chunk of 10 measures the cost, then each chunk at most doubles).
    expect(replayed.transactions.size).toBeGreaterThan(4);
    expect([...replayed.applications]).toEqual(['verify:verify-counting']);
  });

  it('still names the row that differs', async () => {
    await database.query(`UPDATE verify_counts SET n = n + 1 WHERE stream_id = 's-1'`);
    try {
      const result = await verifier('1').check();
      expect(replayed.transactions.size).toBeGreaterThan(1);
      expect(result.differences).toEqual([
        {
          readModel: 'verify-counting:verify_counts',
          key: 's-1',
          expected: { stream_id: 's-1', n: 40 },
          actual: { stream_id: 's-1', n: 41 },
        },
      ]);
    } finally {
      await database.query(`UPDATE verify_counts SET n = n - 1 WHERE stream_id = 's-1'`);
    }
  });
});
