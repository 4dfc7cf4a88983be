import { Database } from '@app/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ConcurrencyError, EventIdConflictError } from '../event-store.errors';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { LOG_START, comparePositions, type LogPosition } from '../position';
import { PostgresEventStore } from './postgres-event-store';

let testDb: TestDatabase;
let database: Database;
let store: PostgresEventStore;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = new Database(testDb.url, 20);
  store = new PostgresEventStore(database);
});

afterAll(async () => {
  await database.close();
  await testDb.drop();
});

let counter = 0;
function event(overrides: Partial<NewEvent> = {}): NewEvent {
  counter++;
  return {
    eventId: `evt-${counter}-${Math.random().toString(36).slice(2)}`,
    type: 'Something',
    data: { n: counter },
    occurredAt: '2026-01-15T10:00:00.000Z',
    metadata: { actor: 'test', correlationId: 'c-1' },
    ...overrides,
  };
}

async function readEverything(after: LogPosition = LOG_START): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let position = after;
  for (;;) {
    const page = await store.readAll(position, { limit: 7 });
    all.push(...page.events);
    if (page.events.length === 0) return all;
    position = page.next;
  }
}

describe('PostgresEventStore: streams', () => {
  it('appends to a new stream and reads it back with versions and metadata', async () => {
    const e1 = event();
    const e2 = event();
    const result = await store.appendToStream('order-1', [e1, e2], 'no-stream');
    expect(result).toMatchObject({ streamId: 'order-1', status: 'appended', streamVersion: 2 });

    const read = await store.readStream('order-1');
    expect(read.map((e) => [e.eventId, e.streamVersion])).toEqual([
      [e1.eventId, 1],
      [e2.eventId, 2],
    ]);
    expect(read[0]).toMatchObject({
      type: 'Something',
      data: e1.data,
      metadata: { actor: 'test', correlationId: 'c-1' },
    });
    expect(read[0]?.occurredAt).toBe('2026-01-15T10:00:00.000Z');
    expect(comparePositions(read[0]!.position, read[1]!.position)).toBe(-1);
  });

  it('checks the expected version: exact, no stream, stream exists', async () => {
    await store.appendToStream('order-2', [event()], 'no-stream');
    await expect(store.appendToStream('order-2', [event()], 'no-stream')).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    await expect(store.appendToStream('order-2', [event()], 5)).rejects.toThrow(
      'Stream order-2: expected version 5, found 1',
    );
    await expect(store.appendToStream('order-missing', [event()], 'stream-exists')).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect((await store.appendToStream('order-2', [event()], 1)).streamVersion).toBe(2);
    expect((await store.appendToStream('order-2', [event()], 'stream-exists')).streamVersion).toBe(3);
    expect((await store.appendToStream('order-2', [event()], 'any')).streamVersion).toBe(4);
    expect(await store.readStream('order-2')).toHaveLength(4);
  });

  it('lets exactly one of many concurrent writers with the same expected version win', async () => {
    await store.appendToStream('contested', [event()], 'no-stream');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => store.appendToStream('contested', [event()], 1)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('contested')).toHaveLength(2);
  });

  it('reports a retried event as a duplicate and changes nothing', async () => {
    const e = event();
    const first = await store.appendToStream('dup-1', [e]);
    const again = await store.appendToStream('dup-1', [e]);
    expect(again.status).toBe('duplicate');
    expect(again.position).toEqual(first.position);
    expect(await store.readStream('dup-1')).toHaveLength(1);
  });

  it('refuses an event id reused with other content', async () => {
    const e = event();
    await store.appendToStream('dup-2', [e]);
    await expect(store.appendToStream('dup-2', [{ ...e, data: { other: true } }])).rejects.toEqual(
      new EventIdConflictError(e.eventId),
    );
    await expect(store.appendToStream('dup-3', [e])).rejects.toBeInstanceOf(EventIdConflictError);
    expect(await store.readStream('dup-2')).toHaveLength(1);
    expect(await store.readStream('dup-3')).toHaveLength(0);
  });

  it('stores one event when the same event id is appended concurrently', async () => {
    const e = event();
    const results = await Promise.all(Array.from({ length: 6 }, () => store.appendToStream('dup-race', [e])));
    expect(results.filter((r) => r.status === 'appended')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(5);
    expect(await store.readStream('dup-race')).toHaveLength(1);
  });

  it('appends to many streams atomically in one call', async () => {
    const results = await store.appendMany([
      { streamId: 'many-a', events: [event(), event()], expectedVersion: 'no-stream' },
      { streamId: 'many-b', events: [event()], expectedVersion: 'no-stream' },
    ]);
    expect(results.map((r) => [r.streamId, r.streamVersion])).toEqual([
      ['many-a', 2],
      ['many-b', 1],
    ]);
    // The second group fails its version check: the first group must not be written either.
    await expect(
      store.appendMany([
        { streamId: 'many-c', events: [event()], expectedVersion: 'no-stream' },
        { streamId: 'many-b', events: [event()], expectedVersion: 'no-stream' },
      ]),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('many-c')).toHaveLength(0);
  });

  it('checks exact versions of a stream named by several groups of one call, each after the ones before it', async () => {
    await store.appendToStream('exact-a', [event()], 'no-stream');
    const results = await store.appendMany([
      { streamId: 'exact-a', events: [event(), event()], expectedVersion: 1 },
      { streamId: 'exact-b', events: [event()], expectedVersion: 'no-stream' },
      { streamId: 'exact-a', events: [event()], expectedVersion: 3 },
      { streamId: 'exact-b', events: [event()], expectedVersion: 'stream-exists' },
      { streamId: 'exact-a', events: [event()], expectedVersion: 'any' },
    ]);
    expect(results.map((r) => [r.streamId, r.streamVersion])).toEqual([
      ['exact-a', 3],
      ['exact-b', 1],
      ['exact-a', 4],
      ['exact-b', 2],
      ['exact-a', 5],
    ]);
    expect((await store.readStream('exact-a')).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);

    // The first group that does not match is the one reported; nothing of the call is written.
    const failed = await store
      .appendMany([
        { streamId: 'exact-c', events: [event()], expectedVersion: 'no-stream' },
        { streamId: 'exact-a', events: [event()], expectedVersion: 4 },
        { streamId: 'exact-c', events: [event()], expectedVersion: 'no-stream' },
      ])
      .catch((error: unknown) => error);
    expect(failed).toEqual(new ConcurrencyError('exact-a', '4', 5));
    await expect(
      store.appendMany([{ streamId: 'exact-d', events: [event()], expectedVersion: 'stream-exists' }]),
    ).rejects.toEqual(new ConcurrencyError('exact-d', 'stream-exists', null));
    expect(await store.readStream('exact-c')).toHaveLength(0);
    expect(await store.readStream('exact-a')).toHaveLength(5);
  });

  it('appends a large batch of many streams in one statement, in the order given', async () => {
    const streams = Array.from({ length: 300 }, (_, i) => `bulk-${i}`);
    await store.appendToStream('bulk-7', [event()]); // one stream exists already
    const first = await store.appendMany(
      streams.map((streamId) => ({ streamId, events: [event(), event()] })),
    );
    expect(first.map((r) => r.streamVersion)).toEqual(streams.map((s) => (s === 'bulk-7' ? 3 : 2)));
    for (let i = 1; i < first.length; i++) {
      expect(comparePositions(first[i - 1]!.position, first[i]!.position)).toBe(-1);
    }
    const again = await store.appendMany(
      streams.slice(0, 3).map((streamId) => ({ streamId, events: [event()] })),
    );
    expect(again.map((r) => r.streamVersion)).toEqual([3, 3, 3]);
    const read = await store.readStream('bulk-7');
    expect(read.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    // The same stream twice in one call still counts in order.
    const twice = await store.appendMany([
      { streamId: 'bulk-twice', events: [event()] },
      { streamId: 'bulk-twice', events: [event(), event()] },
    ]);
    expect(twice.map((r) => r.streamVersion)).toEqual([1, 3]);
  });

  it('undoes only a failed append inside the caller transaction, which goes on', async () => {
    await store.appendToStream('tx-going-on', [event()], 'no-stream');
    const used = event();
    await store.appendToStream('tx-id-used', [used]);
    await database.transaction(async (tx) => {
      await store.appendToStream('tx-before', [event()], 'no-stream', tx);
      await expect(
        store.appendMany(
          [
            { streamId: 'tx-failed', events: [event()], expectedVersion: 'no-stream' },
            { streamId: 'tx-going-on', events: [event()], expectedVersion: 'no-stream' },
          ],
          tx,
        ),
      ).rejects.toEqual(new ConcurrencyError('tx-going-on', 'no-stream', 1));
      await expect(
        store.appendToStream('tx-failed', [{ ...used, data: { other: true } }], 'any', tx),
      ).rejects.toEqual(new EventIdConflictError(used.eventId));
      expect((await store.appendToStream('tx-going-on', [event()], 1, tx)).streamVersion).toBe(2);
    });
    expect(await store.readStream('tx-before')).toHaveLength(1);
    expect(await store.readStream('tx-failed')).toHaveLength(0);
    expect(await store.readStream('tx-going-on')).toHaveLength(2);
  });

  it('joins the caller transaction: a rollback undoes the append', async () => {
    await expect(
      database.transaction(async (tx) => {
        await store.appendToStream('tx-1', [event()], 'no-stream', tx);
        expect(await store.readStream('tx-1', tx)).toHaveLength(1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await store.readStream('tx-1')).toHaveLength(0);
  });
});

describe('PostgresEventStore: following the log', () => {
  it('never skips an event of a transaction that began first and commits last', async () => {
    const start = await store.readableHead();
    const slow = await database.pool.connect();
    try {
      await slow.query('BEGIN');
      await slow.query('SELECT pg_current_xact_id()'); // the slow transaction takes the older id now
      const fast = await store.appendToStream('race-fast', [event()]);

      // The fast event is committed but must stay invisible while an older transaction may still write.
      const whileOpen = await readEverything(start);
      expect(whileOpen.map((e) => e.streamId)).not.toContain('race-fast');

      const slowEvent = event();
      await slow.query(`SELECT * FROM append_to_streams($1::jsonb)`, [
        JSON.stringify([
          {
            streamId: 'race-slow',
            expectedVersion: -2,
            events: [{ ...slowEvent, metadata: {}, contentHash: 'x' }],
          },
        ]),
      ]);
      await slow.query('COMMIT');

      const after = await readEverything(start);
      const ids = after.map((e) => e.streamId);
      expect(ids).toEqual(['race-slow', 'race-fast']);
      expect(comparePositions(after[1]!.position, fast.position)).toBe(0);
    } finally {
      slow.release();
    }
  });

  it('reads past a rolled-back append without losing later events', async () => {
    const start = await store.readableHead();
    await database
      .transaction(async (tx) => {
        await store.appendToStream('rolled-back', [event(), event()], 'any', tx);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    const kept = await store.appendToStream('after-rollback', [event()]);
    const read = await readEverything(start);
    expect(read.map((e) => e.streamId)).toEqual(['after-rollback']);
    expect(read[0]?.position).toEqual(kept.position);
  });

  it('gives a follower every committed event exactly once while 8 writers race', async () => {
    const start = await store.readableHead();
    const writers = 8;
    const perWriter = 40;
    const committed = new Set<string>();
    let writing = true;

    const writerRuns = Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter; i++) {
        const batch = [event({ type: 'Raced' }), event({ type: 'Raced' })];
        const rollback = i % 9 === 4;
        try {
          await database.transaction(async (tx) => {
            await store.appendToStream(`writer-${w}`, batch, 'any', tx);
            // Hold some transactions open so that commits come out of sequence order.
            if (i % 3 === 0) await tx.query('SELECT pg_sleep(0.01 * random())');
            if (rollback) throw new Error('rolled back on purpose');
          });
          for (const e of batch) committed.add(e.eventId);
        } catch (error) {
          if (!rollback) throw error;
        }
      }
    });

    const seen: string[] = [];
    const follower = (async () => {
      let position = start;
      for (;;) {
        const stillWriting = writing;
        const page = await store.readAll(position, { limit: 25, types: ['Raced'] });
        seen.push(...page.events.map((e) => e.eventId));
        position = page.next;
        if (page.events.length === 0) {
          if (!stillWriting) return;
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    })();

    await Promise.all(writerRuns);
    writing = false;
    await follower;

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(committed.size);
    expect(new Set(seen)).toEqual(committed);
    expect(committed.size).toBeGreaterThan(writers * perWriter);
  });

  it('pages through the log in order with types and recorded-at filters', async () => {
    const start = await store.readableHead();
    await store.appendToStream('filter-a', [
      event({ type: 'Kept' }),
      event({ type: 'Dropped' }),
      event({ type: 'Kept' }),
    ]);
    const page = await store.readAll(start, { limit: 10, types: ['Kept'] });
    expect(page.events.map((e) => e.type)).toEqual(['Kept', 'Kept']);
    const none = await store.readAll(start, { limit: 10, recordedUpTo: '2000-01-01T00:00:00Z' });
    expect(none.events).toHaveLength(0);
    expect(none.next).toEqual(start);
    expect(comparePositions(await store.committedHead(), page.next)).toBe(0);
  });
});
