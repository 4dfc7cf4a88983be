/**
 * `node dist/bench/append-versions.js [events]`: the bench's store comparison (compareStores) on a
 * synthetic log, plus append_to_streams before and after the set-based exact-version path, with
 * expected version "any" and with exact versions, on the same server and events, taking turns.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { type NewEvent, PostgresEventStore, type StreamAppend } from '@app/event-store';
import { Database, runMigrations } from '@app/platform';
import { AppendRepeatedStreams1700000001960 } from '../libs/platform/src/database/migrations/1700000001960-append-repeated-streams';
import { startBenchServer } from './database';
import { Random } from './prng';
import { perSecond } from './stats';
import { compareStores } from './stores';

interface Row {
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurred_at: Date;
}

function synthetic(count: number, random: Random): NewEvent[][] {
  // Streams like the service's: most are one click of a new visitor, some attempts get several events.
  const events: { streamId: string; event: NewEvent }[] = [];
  const open: string[] = [];
  for (let i = 0; i < count; i++) {
    let streamId: string;
    if (open.length > 0 && random.next() < 0.3) streamId = open[Math.floor(random.next() * open.length)]!;
    else {
      streamId = `${random.next() < 0.8 ? 'visitor' : 'attempt'}-${i}`;
      if (streamId.startsWith('attempt')) open.push(streamId);
    }
    events.push({
      streamId,
      event: {
        eventId: `e-${i}-${Math.floor(random.next() * 1e9)}`,
        type: streamId.startsWith('visitor') ? 'LinkClicked' : 'PaymentCollected',
        data: {
          partnerId: `partner-${Math.floor(random.next() * 1000)}`,
          linkId: `link-${Math.floor(random.next() * 20)}`,
          visitorId: streamId,
          ip: `10.0.${i % 250}.${i % 199}`,
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120',
          landingUrl: `https://shop.example/landing/${i % 97}?utm_source=partner`,
        },
        occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
        metadata: { actor: 'ingest', correlationId: `c-${i}`, causationId: null, envelopeHash: `h${i}` },
      },
    });
  }
  const chunks: NewEvent[][] = [];
  for (let i = 0; i < events.length; i += 1000) chunks.push(events.slice(i, i + 1000).map((e) => e.event));
  return chunks;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 25_000);
  const log = (line: string): void => console.error(line);
  const server = await startBenchServer({ stamp: `append-${Date.now()}`, keep: false, log });
  try {
    // The source log, written by the store (versions as the service assigns them).
    const sourceUrl = await server.createDatabase('append_source');
    await runMigrations(sourceUrl);
    const sourceDb = new Database(sourceUrl, 2);
    const sourceStore = new PostgresEventStore(sourceDb);
    const random = new Random(20251);
    let n = 0;
    for (const chunk of synthetic(count, random)) {
      const appends = new Map<string, NewEvent[]>();
      for (const e of chunk) {
        const streamId = (e.data as { visitorId?: string }).visitorId ?? `s-${n++}`;
        appends.set(streamId, [...(appends.get(streamId) ?? []), e]);
      }
      await sourceStore.appendMany([...appends].map(([streamId, events]) => ({ streamId, events })));
    }
    await sourceDb.close();

    if (process.argv[3] !== 'no-compare') {
      const stores = await compareStores({
        server,
        sourceUrl,
        limit: count,
        chunkSize: 1000,
        pageSize: 10_000,
        emmettConcurrency: 8,
        log,
      });
      for (const w of stores.writers) log(`${w.writer}: ${w.eventsPerSecond} events/s (${w.ms} ms)`);
    }

    // Before / after, any / exact versions, same events, taking turns per chunk.
    const source = new Client({ connectionString: sourceUrl });
    await source.connect();
    const { rows } = await source.query<Row>(
      'SELECT event_id, stream_id, stream_version, type, data, metadata, occurred_at FROM events ORDER BY global_position',
    );
    await source.end();
    const variants: {
      name: string;
      store: PostgresEventStore | null;
      db: Database;
      exact: boolean;
      ms: number;
    }[] = [];
    {
      const url = await server.createDatabase('append_raw2');
      const db = new Database(url, 2);
      await db.query(
        'CREATE TABLE raw_events (global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id text NOT NULL, stream_id text NOT NULL, stream_version integer NOT NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, occurred_at timestamptz NOT NULL)',
      );
      variants.push({ name: 'raw unnest INSERT', store: null, db, exact: false, ms: 0 });
    }
    for (const [name, old, exact] of [
      ['before (1960), any', true, false],
      ['after, any', false, false],
      ['before (1960), exact versions', true, true],
      ['after, exact versions', false, true],
    ] as const) {
      const url = await server.createDatabase(`append_${variants.length}`);
      await runMigrations(url);
      const db = new Database(url, 2);
      if (old) {
        const runner = { query: (sql: string) => db.query(sql) } as unknown as QueryRunner;
        await new AppendRepeatedStreams1700000001960().up(runner);
      }
      variants.push({ name, store: new PostgresEventStore(db), db, exact, ms: 0 });
    }
    for (let i = 0, turn = 0; i < rows.length; i += 1000, turn++) {
      const chunk = rows.slice(i, i + 1000);
      const groups = new Map<string, Row[]>();
      for (const r of chunk) groups.set(r.stream_id, [...(groups.get(r.stream_id) ?? []), r]);
      for (let k = 0; k < variants.length; k++) {
        const v = variants[(turn + k) % variants.length]!;
        const appends: StreamAppend[] = [...groups].map(([streamId, events]) => ({
          streamId,
          expectedVersion: v.exact
            ? events[0]!.stream_version - 1 === 0
              ? 'no-stream'
              : events[0]!.stream_version - 1
            : 'any',
          events: events.map((r) => ({
            eventId: r.event_id,
            type: r.type,
            data: r.data,
            metadata: r.metadata,
            occurredAt: r.occurred_at.toISOString(),
          })),
        }));
        const started = performance.now();
        if (v.store) await v.store.appendMany(appends);
        else
          await v.db.query(
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
        v.ms += performance.now() - started;
      }
    }
    const raw = { eventsPerSecond: perSecond(rows.length, variants[0]!.ms) };
    for (const v of variants) {
      const stored = await v.db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM ${v.store ? 'events' : 'raw_events'}`,
      );
      const rate = perSecond(rows.length, v.ms);
      log(
        `${v.name}: ${rate} events/s (${Math.round(v.ms)} ms, ${Math.round((100 * rate) / raw.eventsPerSecond)}% of raw, stored ${stored.rows[0]?.n})`,
      );
      await v.db.close();
    }
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
