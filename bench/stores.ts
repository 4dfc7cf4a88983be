/**
 * Append throughput of three writers on the same PostgreSQL server and the same events: the domain
 * events exactly as the service's log stores them (ids, streams, types, data, metadata), read back
 * from the service's database in log order. Each writer gets its own fresh database:
 *   (a) raw: one `INSERT ... SELECT FROM unnest(...)` per 1000 events into a bare table (the ceiling);
 *   (b) Emmett: getPostgreSQLEventStore(url).appendToStream once per stream and chunk, several at once;
 *   (c) ours: PostgresEventStore.appendMany once per 1000 events;
 *   (d) a bench-only prototype of the set-based append recommended for (c), to size that fix.
 * Pages of events are read untimed; the writers take turns on each page so that background load on the
 * machine falls on all three alike.
 */
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Client } from 'pg';
import { type NewEvent, PostgresEventStore, type StreamAppend, eventContentHash } from '@app/event-store';
import { Database, runMigrations } from '@app/platform';
import type { BenchServer } from './database';
import type { Log } from './scenario';
import { perSecond, pool, round } from './stats';

export interface WriterResult {
  readonly writer: string;
  readonly description: string;
  readonly events: number;
  readonly ms: number;
  readonly eventsPerSecond: number;
  /** Rows in the target afterwards: a check that every event was written. */
  readonly stored: number;
}

export interface StoreComparison {
  readonly events: number;
  readonly chunkSize: number;
  readonly emmettConcurrency: number;
  readonly source: string;
  readonly writers: WriterResult[];
}

interface SourceRow {
  seq: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurred_at: Date;
}

interface Writer {
  readonly name: string;
  readonly description: string;
  write(chunk: readonly SourceRow[]): Promise<void>;
  stored(): Promise<number>;
  close(): Promise<void>;
}

/** Consecutive events of one stream, in log order within the chunk. */
function byStream(chunk: readonly SourceRow[]): Map<string, SourceRow[]> {
  const groups = new Map<string, SourceRow[]>();
  for (const row of chunk) {
    const group = groups.get(row.stream_id);
    if (group) group.push(row);
    else groups.set(row.stream_id, [row]);
  }
  return groups;
}

async function countRows(url: string, table: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

async function rawWriter(url: string): Promise<Writer> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(`
    CREATE TABLE raw_events (
      global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id text NOT NULL,
      stream_id text NOT NULL,
      stream_version integer NOT NULL,
      type text NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      occurred_at timestamptz NOT NULL
    )`);
  return {
    name: 'raw unnest INSERT',
    description: 'one INSERT ... SELECT FROM unnest() per chunk into a bare table (primary key only)',
    async write(chunk) {
      await client.query(
        `INSERT INTO raw_events (event_id, stream_id, stream_version, type, data, metadata, occurred_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::jsonb[], $7::timestamptz[])`,
        [
          chunk.map((r) => r.event_id),
          chunk.map((r) => r.stream_id),
          chunk.map((r) => r.stream_version),
          chunk.map((r) => r.type),
          chunk.map((r) => JSON.stringify(r.data)),
          chunk.map((r) => JSON.stringify(r.metadata)),
          chunk.map((r) => r.occurred_at.toISOString()),
        ],
      );
    },
    stored: () => countRows(url, 'raw_events'),
    close: () => client.end(),
  };
}

async function emmettWriter(url: string, concurrency: number): Promise<Writer> {
  const store = getPostgreSQLEventStore(url);
  await store.schema.migrate();
  return {
    name: 'Emmett appendToStream',
    description: `@event-driven-io/emmett-postgresql appendToStream per stream of each chunk, ${concurrency} at once`,
    async write(chunk) {
      await pool([...byStream(chunk)], concurrency, async ([streamId, rows]) => {
        await store.appendToStream(
          streamId,
          rows.map((r) => ({
            type: r.type,
            data: r.data,
            // messageId keeps the log's event id; the rest is the stored metadata.
            metadata: { ...r.metadata, messageId: r.event_id, occurredAt: r.occurred_at.toISOString() },
          })),
        );
      });
    },
    stored: () => countRows(url, 'emt_messages'),
    close: () => store.close(),
  };
}

async function ourWriter(url: string): Promise<Writer> {
  await runMigrations(url);
  const database = new Database(url, 2);
  const store = new PostgresEventStore(database);
  return {
    name: 'our PostgresEventStore.appendMany',
    description: 'PostgresEventStore.appendMany once per chunk (all its streams, expected version any)',
    async write(chunk) {
      const appends: StreamAppend[] = [...byStream(chunk)].map(([streamId, rows]) => ({
        streamId,
        expectedVersion: 'any',
        events: rows.map((r): NewEvent => ({
          eventId: r.event_id,
          type: r.type,
          data: r.data,
          metadata: r.metadata,
          occurredAt: r.occurred_at.toISOString(),
        })),
      }));
      await store.appendMany(appends);
    },
    stored: () => countRows(url, 'events'),
    close: () => database.close(),
  };
}

/**
 * Not the service's code: a prototype of the set-based append recommended for append_to_streams (one
 * duplicate probe by event_id = ANY(...), one upsert of every stream's version, one INSERT of every
 * event), run against the same migrated schema (tables, indexes, notify trigger) as ours, to show what
 * the fix is worth. Expected version 'any' only, as in this comparison.
 */
async function candidateWriter(url: string): Promise<Writer> {
  await runMigrations(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    name: 'candidate set-based append (prototype)',
    description:
      'bench-only prototype of the recommended append_to_streams: 1 duplicate probe + 1 stream upsert + 1 INSERT per chunk, same schema as ours',
    async write(chunk) {
      const ids = chunk.map((r) => r.event_id);
      await client.query('BEGIN');
      try {
        const { rows } = await client.query<{ event_id: string }>(
          'SELECT event_id FROM events WHERE event_id = ANY($1::text[])',
          [ids],
        );
        if (rows.length > 0) throw new Error('the prototype does not handle duplicates');
        await client.query(
          `WITH input AS (
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::timestamptz[], $7::text[])
               WITH ORDINALITY AS t(event_id, stream_id, type, data, metadata, occurred_at, content_hash, ord)
           ), counts AS (
             SELECT stream_id, count(*)::integer AS n FROM input GROUP BY stream_id
           ), bumped AS (
             INSERT INTO event_streams AS s (stream_id, version)
             SELECT stream_id, n FROM counts ORDER BY stream_id
             ON CONFLICT ON CONSTRAINT event_streams_pkey DO UPDATE SET version = s.version + EXCLUDED.version
             RETURNING s.stream_id, s.version
           )
           INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, occurred_at, content_hash)
           SELECT i.event_id, i.stream_id, b.version - c.n + row_number() OVER (PARTITION BY i.stream_id ORDER BY i.ord)::integer,
                  i.type, i.data, i.metadata, i.occurred_at, i.content_hash
             FROM input i JOIN counts c USING (stream_id) JOIN bumped b USING (stream_id)
            ORDER BY i.ord`,
          [
            ids,
            chunk.map((r) => r.stream_id),
            chunk.map((r) => r.type),
            chunk.map((r) => JSON.stringify(r.data)),
            chunk.map((r) => JSON.stringify(r.metadata)),
            chunk.map((r) => r.occurred_at.toISOString()),
            chunk.map((r) => eventContentHash(r.stream_id, r.type, r.data, r.occurred_at.toISOString())),
          ],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    stored: () => countRows(url, 'events'),
    close: () => client.end(),
  };
}

export interface CompareOptions {
  readonly server: BenchServer;
  readonly sourceUrl: string;
  /** How many events of the log to copy (the first ones in log order). */
  readonly limit: number;
  readonly chunkSize: number;
  readonly pageSize: number;
  readonly emmettConcurrency: number;
  readonly log: Log;
}

export async function compareStores(options: CompareOptions): Promise<StoreComparison> {
  const { server, log } = options;
  const writers: Writer[] = [];
  const source = new Client({ connectionString: options.sourceUrl });
  await source.connect();
  try {
    writers.push(await rawWriter(await server.createDatabase('append_raw')));
    writers.push(await emmettWriter(await server.createDatabase('append_emmett'), options.emmettConcurrency));
    writers.push(await ourWriter(await server.createDatabase('append_ours')));
    writers.push(await candidateWriter(await server.createDatabase('append_candidate')));
    const elapsed = writers.map(() => 0);
    let after = '0';
    let copied = 0;
    let turn = 0;
    let nextReport = 0.1;
    while (copied < options.limit) {
      const { rows } = await source.query<SourceRow>(
        `SELECT global_position::text AS seq, event_id, stream_id, stream_version, type, data, metadata, occurred_at
           FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
        [after, Math.min(options.pageSize, options.limit - copied)],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.seq;
      const chunks: SourceRow[][] = [];
      for (let i = 0; i < rows.length; i += options.chunkSize)
        chunks.push(rows.slice(i, i + options.chunkSize));
      // Rotate who goes first on each page.
      for (let k = 0; k < writers.length; k++) {
        const index = (turn + k) % writers.length;
        const writer = writers[index]!;
        const started = performance.now();
        for (const chunk of chunks) await writer.write(chunk);
        elapsed[index]! += performance.now() - started;
      }
      turn++;
      copied += rows.length;
      if (copied / options.limit >= nextReport) {
        log(
          `  appended ${copied}/${options.limit}: ${writers
            .map((w, i) => `${w.name} ${perSecond(copied, elapsed[i]!)}/s`)
            .join(', ')}`,
        );
        nextReport += 0.1;
      }
    }
    const results: WriterResult[] = [];
    for (const [i, writer] of writers.entries()) {
      results.push({
        writer: writer.name,
        description: writer.description,
        events: copied,
        ms: round(elapsed[i]!),
        eventsPerSecond: perSecond(copied, elapsed[i]!),
        stored: await writer.stored(),
      });
    }
    return {
      events: copied,
      chunkSize: options.chunkSize,
      emmettConcurrency: options.emmettConcurrency,
      source:
        "the service's events table, in log order (domain events as stored: ids, streams, data, metadata)",
      writers: results,
    };
  } finally {
    await source.end().catch(() => undefined);
    for (const writer of writers) await writer.close().catch(() => undefined);
  }
}
