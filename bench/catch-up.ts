/**
 * The read side measured against the log itself, in the same run:
 * - the raw keyset read rate of the log (the ceiling of any projection's catch-up);
 * - catch-up from zero of every projection on a copy of the log, in order and back-dated (10% of the
 *   collections and refunds, with what they caused, dated up to 60 days earlier: late facts);
 * - the longest projection transaction, sampled from pg_stat_activity (projection connections name
 *   themselves `projection:<name>`, verify's replay connections `verify:<name>`) and, where the
 *   service reports it, from the runner itself.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { Api, ProjectionStateView } from './http';
import type { Log } from './scenario';
import { perSecond, round, since } from './stats';

const MS_PER_DAY = 86_400_000;
const PAGE = 10_000;

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'bench' });
  await client.connect();
  return client;
}

export interface KeysetReadResult {
  readonly events: number;
  readonly ms: number;
  readonly eventsPerSecond: number;
  readonly pageSize: number;
}

/** The whole log in (transaction, sequence) order, pages of 10,000, every column the store reads. */
export async function rawKeysetRead(url: string): Promise<KeysetReadResult> {
  const client = await connect(url);
  try {
    let after: [string, string] = ['0', '0'];
    let events = 0;
    const started = performance.now();
    for (;;) {
      const { rows } = await client.query<{ txid: string; seq: string }>(
        `SELECT transaction_id::text AS txid, global_position::text AS seq, event_id, stream_id, stream_version, type,
                data, metadata, occurred_at, recorded_at
           FROM events
          WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
            AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY transaction_id, global_position LIMIT $3`,
        [after[0], after[1], PAGE],
      );
      events += rows.length;
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1]!;
      after = [last.txid, last.seq];
    }
    const ms = since(started);
    return { events, ms: round(ms), eventsPerSecond: perSecond(events, ms), pageSize: PAGE };
  } finally {
    await client.end();
  }
}

/** A stable hash of a string (FNV-1a), for choosing which envelopes to back-date. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** 10% of collections and refunds, 1 ms to 60 days earlier; null for every other envelope. */
export function backDateShiftMs(envelopeId: string, type: string): number | null {
  if (type !== 'PaymentCollected' && type !== 'RefundIssued') return null;
  const h = hash(envelopeId);
  if (h % 10 !== 0) return null;
  return 1 + (Math.floor(h / 10) % (60 * MS_PER_DAY));
}

export interface CopyResult {
  readonly events: number;
  readonly backDatedEnvelopes: number;
  readonly backDatedEvents: number;
  /** performance.now() when the copy committed: from then on every copied event is readable. */
  readonly committedAt: number;
}

/**
 * Copies the events of `sourceUrl` into the (migrated, empty) events table of `targetUrl` in log
 * order, optionally back-dating: an envelope chosen by backDateShiftMs and the events derived from it
 * (ids `<envelopeId>/...`, written with it) move earlier together. One transaction: a service
 * already running on the target sees the whole log appear at once and catches up from zero.
 */
export async function copyLog(sourceUrl: string, targetUrl: string, backDate: boolean): Promise<CopyResult> {
  const source = await connect(sourceUrl);
  const target = await connect(targetUrl);
  const shifts = new Map<string, number>();
  let events = 0;
  let backDatedEvents = 0;
  try {
    await target.query('BEGIN');
    let after: [string, string] = ['0', '0'];
    for (;;) {
      const { rows } = await source.query<{
        txid: string;
        seq: string;
        event_id: string;
        stream_id: string;
        stream_version: number;
        type: string;
        data: string;
        metadata: string;
        occurred_at: Date;
        recorded_at: Date;
        content_hash: string;
      }>(
        `SELECT transaction_id::text AS txid, global_position::text AS seq, event_id, stream_id, stream_version, type,
                data::text AS data, metadata::text AS metadata, occurred_at, recorded_at, content_hash
           FROM events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          ORDER BY transaction_id, global_position LIMIT $3`,
        [after[0], after[1], PAGE],
      );
      if (rows.length === 0) break;
      const occurred = rows.map((row) => {
        if (!backDate) return row.occurred_at.toISOString();
        const envelope = row.event_id.split('/')[0]!;
        let shift = shifts.get(envelope);
        if (shift === undefined && envelope === row.event_id) {
          const chosen = backDateShiftMs(envelope, row.type);
          if (chosen !== null) shifts.set(envelope, (shift = chosen));
        }
        if (shift === undefined) return row.occurred_at.toISOString();
        backDatedEvents++;
        return new Date(row.occurred_at.getTime() - shift).toISOString();
      });
      await target.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at, content_hash)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::jsonb[], $7::timestamptz[],
                              $8::timestamptz[], $9::text[])`,
        [
          rows.map((r) => r.event_id),
          rows.map((r) => r.stream_id),
          rows.map((r) => r.stream_version),
          rows.map((r) => r.type),
          rows.map((r) => r.data),
          rows.map((r) => r.metadata),
          occurred,
          rows.map((r) => r.recorded_at.toISOString()),
          rows.map((r) => r.content_hash),
        ],
      );
      events += rows.length;
      const last = rows[rows.length - 1]!;
      after = [last.txid, last.seq];
    }
    await target.query(
      `INSERT INTO event_streams (stream_id, version)
       SELECT stream_id, max(stream_version) FROM events GROUP BY stream_id
       ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version`,
    );
    await target.query('COMMIT');
    const committedAt = performance.now();
    await target.query('ANALYZE events');
    return { events, backDatedEnvelopes: shifts.size, backDatedEvents, committedAt };
  } finally {
    await source.end();
    await target.end();
  }
}

/** The longest open projection or verify transaction seen, sampled every 100 ms from pg_stat_activity. */
export class TransactionWatch {
  private client: Client | null = null;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private phase = 'start';
  readonly longestMsByPhase: Record<string, number> = {};

  constructor(private readonly url: string) {}

  async start(): Promise<void> {
    this.client = await connect(this.url);
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const { rows } = await this.client!.query<{ ms: number | null }>(
            `SELECT max(extract(epoch FROM clock_timestamp() - xact_start) * 1000)::float8 AS ms
               FROM pg_stat_activity
              WHERE datname = current_database()
                AND (application_name LIKE 'projection:%' OR application_name LIKE 'verify:%')
                AND xact_start IS NOT NULL AND state <> 'idle'`,
          );
          const ms = rows[0]?.ms ?? 0;
          this.longestMsByPhase[this.phase] = Math.max(this.longestMsByPhase[this.phase] ?? 0, round(ms));
        } catch {
          // A lost sample is a missing sample.
        }
        await sleep(100);
      }
    })();
  }

  enter(phase: string): void {
    this.phase = phase;
  }

  longest(phase: string): number {
    return this.longestMsByPhase[phase] ?? 0;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}

export interface CatchUpResult {
  readonly events: number;
  readonly backDatedEnvelopes: number;
  readonly backDatedEvents: number;
  /** Per projection: from the service's start until it had no lag. */
  readonly msByProjection: Record<string, number>;
  readonly eventsPerSecondByProjection: Record<string, number>;
  /** The slowest projection's rate. */
  readonly eventsPerSecond: number;
  /** Longest projection transaction: sampled from pg_stat_activity, and as the runner reports it. */
  readonly longestTransactionMs: number;
  readonly longestTransactionMsReported: number | null;
}

/** Polls the projection list of a service that just started on a copied log, until no lag is left. */
export async function timeCatchUp(
  api: Api,
  copy: CopyResult,
  watch: TransactionWatch,
  phase: string,
  log: Log,
): Promise<CatchUpResult> {
  const started = copy.committedAt;
  const events = copy.events;
  const msByProjection: Record<string, number> = {};
  let reported: number | null = null;
  for (;;) {
    const { body } = await api.get<ProjectionStateView[]>('/v1/admin/projections');
    const ms = since(started);
    for (const state of body) {
      if (typeof state.longestTransactionMs === 'number')
        reported = Math.max(reported ?? 0, state.longestTransactionMs);
      if (msByProjection[state.name] === undefined && state.lag === 0 && state.status === 'running')
        msByProjection[state.name] = round(ms);
    }
    if (body.length > 0 && body.every((s) => msByProjection[s.name] !== undefined)) break;
    if (ms > 3_600_000) throw new Error(`${phase}: the projections did not catch up within an hour`);
    await sleep(100);
  }
  const rates = Object.fromEntries(
    Object.entries(msByProjection).map(([name, ms]) => [name, perSecond(events, ms)]),
  );
  const slowest = Math.min(...Object.values(rates));
  log(
    `  ${phase}: ${Object.entries(rates)
      .map(([name, rate]) => `${name} ${rate}/s`)
      .join(', ')}; longest projection transaction ${watch.longest(phase)} ms`,
  );
  return {
    events,
    backDatedEnvelopes: copy.backDatedEnvelopes,
    backDatedEvents: copy.backDatedEvents,
    msByProjection,
    eventsPerSecondByProjection: rates,
    eventsPerSecond: slowest,
    longestTransactionMs: watch.longest(phase),
    longestTransactionMsReported: reported,
  };
}

/** The mean rates of several runs of one variant; the longest transaction of any of them. */
export function meanCatchUp(runs: readonly CatchUpResult[]): CatchUpResult {
  const first = runs[0];
  if (!first) throw new Error('no catch-up run');
  const names = Object.keys(first.eventsPerSecondByProjection);
  const mean = (pick: (r: CatchUpResult) => number) =>
    round(runs.reduce((sum, r) => sum + pick(r), 0) / runs.length);
  const rates = Object.fromEntries(names.map((n) => [n, mean((r) => r.eventsPerSecondByProjection[n] ?? 0)]));
  const reported = runs.map((r) => r.longestTransactionMsReported).filter((ms): ms is number => ms !== null);
  return {
    ...first,
    msByProjection: Object.fromEntries(names.map((n) => [n, mean((r) => r.msByProjection[n] ?? 0)])),
    eventsPerSecondByProjection: rates,
    eventsPerSecond: Math.min(...Object.values(rates)),
    longestTransactionMs: Math.max(...runs.map((r) => r.longestTransactionMs)),
    longestTransactionMsReported: reported.length > 0 ? Math.max(...reported) : null,
  };
}
