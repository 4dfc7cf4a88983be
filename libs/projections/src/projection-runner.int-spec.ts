import { Client } from 'pg';
import { LOG_START, PostgresEventStore, formatPosition, type RecordedEvent } from '@app/event-store';
import { Database } from '@app/platform';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import type { Projection, ProjectionContext } from './projection';
import { ProjectionRunner } from './projection-runner';

let testDb: TestDatabase;
let database: Database;
let store: PostgresEventStore;
const runners: ProjectionRunner[] = [];

/** Counts events per stream; the primary key on event_id makes a double application fail loudly. */
function countingProjection(name = 'counting'): Projection {
  return {
    name,
    handles: ['Counted'],
    tables: ['seen_events', 'stream_counts'],
    async apply(events: readonly RecordedEvent[], ctx: ProjectionContext) {
      for (const e of events) {
        await ctx.query(`INSERT INTO ${ctx.table('seen_events')} (event_id, projection) VALUES ($1, $2)`, [
          e.eventId,
          name,
        ]);
        await ctx.query(
          `INSERT INTO ${ctx.table('stream_counts')} (stream_id, n) VALUES ($1, 1)
             ON CONFLICT (stream_id) DO UPDATE SET n = ${ctx.table('stream_counts')}.n + 1`,
          [e.streamId],
        );
      }
    },
  };
}

function runner(projections: Projection[] = [countingProjection()]): ProjectionRunner {
  const r = new ProjectionRunner(projections, store, database, {
    databaseUrl: testDb.url,
    batchSize: 50,
    idlePollMs: 200,
  });
  runners.push(r);
  return r;
}

let n = 0;
async function append(stream: string, count: number, type = 'Counted') {
  const events = Array.from({ length: count }, () => ({
    eventId: `e-${++n}`,
    type,
    data: { n },
    occurredAt: new Date().toISOString(),
  }));
  return store.appendToStream(stream, events);
}

async function counts(): Promise<Record<string, number>> {
  const { rows } = await database.query<{ stream_id: string; n: number }>(
    'SELECT stream_id, n FROM stream_counts ORDER BY 1',
  );
  return Object.fromEntries(rows.map((r) => [r.stream_id, r.n]));
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = new Database(testDb.url, 10);
  store = new PostgresEventStore(database);
  await database.query('CREATE TABLE seen_events (event_id text PRIMARY KEY, projection text NOT NULL)');
  await database.query(
    'CREATE TABLE stream_counts (stream_id text PRIMARY KEY, n integer NOT NULL) WITH (fillfactor = 70)',
  );
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await database.query('TRUNCATE seen_events, stream_counts, projection_checkpoints, events, event_streams');
});

afterAll(async () => {
  await database.close();
  await testDb.drop();
});

describe('ProjectionRunner', () => {
  it('brings new events to the read model when woken by the database notification', async () => {
    const r = runner();
    await r.start();
    const written = await append('s-1', 3);
    expect(await r.waitFor(written.position, 5_000)).toBe(true);
    expect(await counts()).toEqual({ 's-1': 3 });
    // Events of types it does not handle still move its checkpoint, so waitFor on them answers too.
    const other = await append('s-other', 2, 'Ignored');
    expect(await r.waitFor(other.position, 5_000)).toBe(true);
    expect(await counts()).toEqual({ 's-1': 3 });
  });

  it('resumes from its checkpoint after a restart and applies nothing twice', async () => {
    const first = runner();
    await first.start();
    const a = await append('s-2', 120);
    expect(await first.waitFor(a.position, 5_000)).toBe(true);
    await first.stop();

    const b = await append('s-2', 30);
    const second = runner();
    await second.start();
    expect(await second.waitFor(b.position, 5_000)).toBe(true);
    expect(await counts()).toEqual({ 's-2': 150 });
  });

  it('runs a projection in only one of two processes at a time, and fails over', async () => {
    const one = runner();
    const two = runner();
    await Promise.all([one.start(), two.start()]);
    const writes = await Promise.all(Array.from({ length: 10 }, (_, i) => append(`p-${i % 3}`, 20)));
    const last = writes
      .map((w) => w.position)
      .sort((x, y) => (x.transactionId < y.transactionId ? 1 : -1))[0]!;
    expect(await one.waitFor(last, 10_000)).toBe(true);
    expect(await counts()).toEqual({ 'p-0': 80, 'p-1': 60, 'p-2': 60 });

    // Stop whichever holds the lock: the other takes over.
    await one.stop();
    const more = await append('p-0', 5);
    expect(await two.waitFor(more.position, 10_000)).toBe(true);
    expect((await counts())['p-0']).toBe(85);
  });

  it('applying the same batch twice changes nothing', async () => {
    const projection = countingProjection();
    const r = runner([projection]);
    await database.query(`INSERT INTO projection_checkpoints (name) VALUES ('counting')`);
    await append('twice', 4);
    const page = await store.readAll(LOG_START, { limit: 100, types: ['Counted'] });
    const client = new Client({ connectionString: testDb.url });
    await client.connect();
    try {
      await r.applyBatch(projection, client, page.events, page.next, false);
      await r.applyBatch(projection, client, page.events, page.next, false);
    } finally {
      await client.end();
    }
    expect(await counts()).toEqual({ twice: 4 });
  });

  it('rebuilds from the start into the same state while the live tables keep answering', async () => {
    const r = runner();
    await r.start();
    await append('r-1', 70);
    const last = await append('r-2', 45);
    expect(await r.waitFor(last.position, 5_000)).toBe(true);
    const incremental = await counts();

    // Damage the read model, then rebuild: the result must equal the incremental one.
    await database.query(`UPDATE stream_counts SET n = 0`);
    expect(await r.requestRebuild('counting')).toBe(true);
    expect(await r.requestRebuild('no-such-projection')).toBe(false);
    const deadline = Date.now() + 10_000;
    while ((await r.states())[0]?.status !== 'running' && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(await counts()).toEqual(incremental);
    const [state] = await r.states();
    expect(state).toMatchObject({ name: 'counting', status: 'running', lag: 0, rebuildPosition: null });
    expect(state?.position).toBe(formatPosition(last.position));
    const { rows } = await database.query(`SELECT to_regclass('stream_counts__rebuild') AS shadow`);
    expect(rows[0]?.['shadow']).toBeNull();
    // The rebuilt table keeps the live one's storage parameters.
    const { rows: options } = await database.query(
      `SELECT reloptions FROM pg_class WHERE oid = to_regclass('stream_counts')`,
    );
    expect(options[0]?.['reloptions']).toEqual(['fillfactor=70']);
  });

  it('reports its lag while it has not caught up', async () => {
    await append('lagging', 25);
    const r = runner();
    await database.query(`INSERT INTO projection_checkpoints (name) VALUES ('counting')`);
    const [before] = await r.states();
    expect(before?.lag).toBeGreaterThanOrEqual(25);
    await r.start();
    const head = await store.committedHead();
    expect(await r.waitFor(head, 5_000)).toBe(true);
    expect((await r.states())[0]?.lag).toBe(0);
  });
});

describe('short transactions and a lag that shows a stalled log', () => {
  it('counts events committed behind an open writing transaction as lag, and not readable', async () => {
    const r = runner();
    await r.start();
    const first = await append('stall', 3);
    expect(await r.waitFor(first.position, 5_000)).toBe(true);
    // A writing transaction stays open: whatever commits after it cannot be read yet.
    const holder = new Client({ connectionString: testDb.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      const stalled = await append('stall', 4);
      await new Promise((res) => setTimeout(res, 300));
      const [state] = await r.states();
      expect(state).toMatchObject({ name: 'counting', lag: 4, notReadable: 4 });
      expect(await r.hasReached(stalled.position)).toBe(false);
      await holder.query('ROLLBACK');
      expect(await r.waitFor(stalled.position, 5_000)).toBe(true);
      expect((await r.states())[0]).toMatchObject({ lag: 0, notReadable: 0 });
    } finally {
      await holder.end();
    }
  });

  it('applies a slow page in several short transactions', async () => {
    const slow: Projection = {
      name: 'slow',
      handles: ['Slow'],
      tables: ['seen_events'],
      async apply(events, ctx) {
        for (const e of events) {
          await ctx.query(
            `INSERT INTO ${ctx.table('seen_events')} (event_id, projection) VALUES ($1, 'slow')`,
            [e.eventId],
          );
          await new Promise((res) => setTimeout(res, 15));
        }
      },
    };
    const r = new ProjectionRunner([slow], store, database, {
      databaseUrl: testDb.url,
      batchSize: 1000,
      idlePollMs: 50,
      maxTransactionMs: 200,
    });
    runners.push(r);
    const last = await append('slow', 60, 'Slow');
    const commits = async () =>
      Number(
        (await database.query<{ n: string }>(`SELECT count(*)::text AS n FROM seen_events`)).rows[0]?.n ?? 0,
      );
    await r.start();
    // The first chunk is measured; the next ones are sized to take half of maxTransactionMs.
    const seen = new Set<number>();
    const deadline = Date.now() + 20_000;
    while (!(await r.hasReached(last.position)) && Date.now() < deadline) {
      seen.add(await commits());
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(await r.hasReached(last.position)).toBe(true);
    expect(await commits()).toBe(60);
    // Progress became visible in steps (several commits), not all at once at the end.
    expect([...seen].filter((n) => n > 0 && n < 60).length).toBeGreaterThan(1);
    const [state] = await r.states();
    expect(state?.lastTransactionMs).toBeLessThan(400);
  });
});

describe('settling after a wake-up', () => {
  /** Runs a projection that records the size of every batch it is given; returns those sizes. */
  async function batchesOfTenCommits(settleMs: number): Promise<number[]> {
    const sizes: number[] = [];
    const recording: Projection = {
      name: `batches-${settleMs}`,
      handles: ['Counted'],
      tables: ['seen_events'],
      async apply(events, ctx) {
        sizes.push(events.length);
        for (const e of events)
          await ctx.query(`INSERT INTO ${ctx.table('seen_events')} (event_id, projection) VALUES ($1, $2)`, [
            e.eventId,
            `batches-${settleMs}`,
          ]);
      },
    };
    const r = new ProjectionRunner([recording], store, database, {
      databaseUrl: testDb.url,
      idlePollMs: 5000,
      settleMs,
    });
    runners.push(r);
    await r.start();
    const first = await append(`settle-${settleMs}`, 1);
    await waitUntil(() => r.hasReached(first.position));
    sizes.length = 0;
    // Ten commits, 20 ms apart: each one notifies.
    let last = first;
    for (let i = 0; i < 10; i++) {
      last = await append(`settle-${settleMs}`, 1);
      await new Promise((res) => setTimeout(res, 20));
    }
    await waitUntil(() => r.hasReached(last.position));
    return sizes;
  }

  async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
    for (const deadline = Date.now() + 20_000; !(await condition());) {
      if (Date.now() > deadline) throw new Error('the projection did not catch up');
      await new Promise((res) => setTimeout(res, 10));
    }
  }

  it('applies the events of commits close together as one batch, and each of them once', async () => {
    const settled = await batchesOfTenCommits(400);
    expect(settled.reduce((a, b) => a + b, 0)).toBe(10);
    expect(settled.length).toBeLessThanOrEqual(2);
  });

  it('without a settle time, follows commit by commit', async () => {
    const eager = await batchesOfTenCommits(0);
    expect(eager.reduce((a, b) => a + b, 0)).toBe(10);
    expect(eager.length).toBeGreaterThan(2);
  });
});
