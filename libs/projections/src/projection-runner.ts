/**
 * Runs every projection: reads the log after its checkpoint, applies a batch and stores the new
 * checkpoint in the same transaction. One process at a time runs a given projection (a
 * session-level advisory lock on a dedicated connection); the others stand by and take over when
 * that connection goes away. Rebuilds fill shadow tables, then swap them in one transaction.
 */
import { Client } from 'pg';
import { Subject, filter, firstValueFrom, race, timer } from 'rxjs';
import {
  type EventStore,
  LOG_START,
  type LogPosition,
  type RecordedEvent,
  comparePositions,
  formatPosition,
  maxPosition,
} from '@app/event-store';
import { type Queryable, processIdentity, tryAcquireLease } from '@app/platform';
import { advanceInline, rebuildInline } from './inline-projection';
import type { Projection, ProjectionContext } from './projection';

export class ProjectionNotRebuildableError extends Error {
  constructor(readonly projection: string) {
    super(`Projection ${projection} cannot be rebuilt`);
    this.name = 'ProjectionNotRebuildableError';
  }
}

export type ProjectionStatus = 'starting' | 'running' | 'rebuilding' | 'standby' | 'failed' | 'stopped';

export interface ProjectionState {
  readonly name: string;
  readonly position: string;
  /**
   * Events committed after the checkpoint, readable or not yet (an event stays unreadable while an
   * older writing transaction is open): a stalled log shows as a lag that does not go down. Exact up
   * to 10,000, estimated from sequence numbers above.
   */
  readonly lag: number;
  /** Of the events committed in the whole log, those no reader can see yet (an older transaction is open). */
  readonly notReadable: number;
  /** The longest and the last apply transaction of this process, in ms (null before the first). */
  readonly longestTransactionMs: number | null;
  readonly lastTransactionMs: number | null;
  readonly status: ProjectionStatus;
  readonly rebuildPosition: string | null;
  readonly lastError: string | null;
}

export interface ProjectionRunnerOptions {
  readonly databaseUrl: string;
  /** Events read from the log per page (keyset). */
  readonly batchSize?: number;
  /** Pages while rebuilding from the start. */
  readonly rebuildBatchSize?: number;
  /**
   * How long one apply transaction may take, about (default 1000 ms): a page is applied in chunks
   * sized from the measured cost per event to take a quarter of it, each chunk in its own transaction,
   * so that no projection holds back the log's readers (or vacuum) for long, whatever the batch.
   */
  readonly maxTransactionMs?: number;
  /** Longest sleep between polls when no notification arrives. */
  readonly idlePollMs?: number;
  readonly onError?: (projection: string, error: unknown) => void;
  /** Who this process is in lease_acquisitions (default: processIdentity('all')). */
  readonly holder?: string;
  /** Told when this process takes over a projection. */
  readonly onLeadership?: (projection: string) => void;
}

interface CheckpointRow {
  name: string;
  txid: string;
  seq: string;
  status: string;
  rebuild_requested_at: Date | null;
  rebuild_txid: string | null;
  rebuild_seq: string | null;
  last_error: string | null;
}

const CHECKPOINT_COLUMNS = `name, transaction_id::text AS txid, global_position::text AS seq, status, rebuild_requested_at,
  rebuild_transaction_id::text AS rebuild_txid, rebuild_global_position::text AS rebuild_seq, last_error`;

function positionOf(txid: string | null, seq: string | null): LogPosition {
  return txid === null || seq === null ? LOG_START : { transactionId: BigInt(txid), sequence: BigInt(seq) };
}

/** The lease (advisory lock and lease_acquisitions name) of a projection. */
export function projectionLease(name: string): string {
  return `projection:${name}`;
}

/**
 * The advisory lock that pauses a projection between two of its transactions: every apply
 * transaction tries it shared first (and retries shortly when it is taken), so a holder of it
 * exclusively (verify, comparing the live tables) sees them stand still, while nothing waits
 * inside a transaction.
 */
export function projectionPauseKey(name: string): string {
  return `projection-pause:${name}`;
}

/** Lag is counted exactly up to this many events. */
const LAG_EXACT_UP_TO = 10_000;

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const shadowName = (table: string) => `${table}__rebuild`;

export class ProjectionRunner {
  private readonly wakeUps = new Subject<void>();
  private readonly stopping = new Subject<void>();
  private readonly statuses = new Map<string, ProjectionStatus>();
  private readonly loops: Promise<void>[] = [];
  private listener: Client | null = null;
  private stopped = false;
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly idlePollMs: number;
  private readonly holder: string;
  private readonly maxTransactionMs: number;
  /** Per projection: measured apply cost (EWMA, ms per event) and transaction durations. */
  private readonly timing = new Map<
    string,
    { msPerEvent: number | null; longest: number | null; last: number | null }
  >();

  constructor(
    private readonly projections: readonly Projection[],
    private readonly store: EventStore,
    private readonly database: Queryable,
    private readonly options: ProjectionRunnerOptions,
  ) {
    // Pages are held in memory, one per projection at a time (several rebuild at once): large enough
    // for few round trips, small enough to keep the process under its memory target.
    this.batchSize = options.batchSize ?? 2000;
    this.rebuildBatchSize = options.rebuildBatchSize ?? 5000;
    this.idlePollMs = options.idlePollMs ?? 500;
    this.holder = options.holder ?? processIdentity('all');
    this.maxTransactionMs = options.maxTransactionMs ?? 1000;
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`Two projections are named ${p.name}`);
      names.add(p.name);
    }
  }

  get names(): string[] {
    return this.projections.map((p) => p.name);
  }

  async start(): Promise<void> {
    for (const projection of this.projections) {
      await this.database.query(
        `INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`,
        [projection.name],
      );
      this.statuses.set(projection.name, 'starting');
    }
    await this.listen();
    for (const projection of this.projections) this.loops.push(this.run(projection));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.next();
    await Promise.allSettled(this.loops);
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  /** Wakes the loops now (they also wake on LISTEN/NOTIFY and on a short poll). */
  poke(): void {
    this.wakeUps.next();
  }

  private async listen(reconnecting = false): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.options.databaseUrl });
    client.on('notification', () => this.wakeUps.next());
    client.on('error', () => {
      // The poll keeps the runner going; reconnect the listener in the background.
      this.listener = null;
      void client.end().catch(() => undefined);
      setTimeout(() => void this.listen(true).catch(() => undefined), 1000);
    });
    try {
      await client.connect();
      await client.query('LISTEN events_appended');
      if (this.stopped) {
        await client.end();
        return;
      }
      this.listener = client;
      // The database is back: loops backing off after failures retry now instead of after their delay.
      if (reconnecting) this.wakeUps.next();
    } catch {
      await client.end().catch(() => undefined);
      setTimeout(() => void this.listen(true).catch(() => undefined), 1000);
    }
  }

  private async idle(ms: number): Promise<void> {
    await firstValueFrom(race(this.wakeUps.pipe(filter(() => true)), this.stopping, timer(ms)));
  }

  private async run(projection: Projection): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      // Named, so that its transactions can be told apart in pg_stat_activity.
      const client = new Client({
        connectionString: this.options.databaseUrl,
        application_name: `projection:${projection.name}`,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        if (!(await tryAcquireLease(client, projectionLease(projection.name), this.holder))) {
          this.statuses.set(projection.name, 'standby');
          await client.end();
          await this.idle(1000);
          continue;
        }
        this.statuses.set(projection.name, 'running');
        this.options.onLeadership?.(projection.name);
        // follow() only returns when stopped; the backoff starts over once it makes progress again.
        await this.follow(projection, client, () => {
          failures = 0;
        });
      } catch (error) {
        failures++;
        this.statuses.set(projection.name, 'failed');
        this.options.onError?.(projection.name, error);
        await this.database
          .query('UPDATE projection_checkpoints SET last_error = $2, updated_at = now() WHERE name = $1', [
            projection.name,
            error instanceof Error ? error.message : String(error),
          ])
          .catch(() => undefined);
        await this.idle(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    this.statuses.set(projection.name, 'stopped');
  }

  /** Holds the lock on `client` and keeps the projection up to date until stopped. */
  private async follow(projection: Projection, client: Client, onProgress: () => void): Promise<void> {
    while (!this.stopped) {
      const checkpoint = await this.readCheckpoint(projection.name);
      if (projection.inline) {
        if (checkpoint.rebuild_requested_at) {
          this.statuses.set(projection.name, 'rebuilding');
          await rebuildInline(projection, client, projectionPauseKey(projection.name));
          this.statuses.set(projection.name, 'running');
        }
        await advanceInline(projection, client, this.store);
        onProgress();
        await this.idle(this.idlePollMs);
        continue;
      }
      if (checkpoint.rebuild_requested_at) {
        this.statuses.set(projection.name, 'rebuilding');
        const caughtUp = await this.rebuildStep(projection, client, checkpoint);
        if (!caughtUp) continue;
        this.statuses.set(projection.name, 'running');
      }
      const advanced = await this.catchUpStep(
        projection,
        client,
        positionOf(checkpoint.txid, checkpoint.seq),
        false,
      );
      onProgress();
      if (!advanced.full) await this.idle(this.idlePollMs);
    }
  }

  /** Reads one page after `from` and applies it; `full` says whether more may be waiting. */
  private async catchUpStep(
    projection: Projection,
    client: Client,
    from: LogPosition,
    shadow: boolean,
  ): Promise<{ full: boolean; next: LogPosition }> {
    const head = await this.store.readableHead();
    const limit = shadow ? this.rebuildBatchSize : this.batchSize;
    const page = await this.store.readAll(from, {
      limit,
      ...(projection.handles === 'all' ? {} : { types: projection.handles }),
    });
    const full = page.events.length === limit;
    // A page that is not full holds every matching event up to the head read before it, so the
    // checkpoint may move to that head even when the last events were of other types.
    const next = full ? page.next : maxPosition(page.next, head);
    if (comparePositions(next, from) <= 0) return { full: false, next: from };
    await this.applyInChunks(projection, client, page.events, next, shadow);
    return { full, next };
  }

  /**
   * Applies a page in transactions of about a quarter of maxTransactionMs each: the chunk size follows
   * the measured cost per event of this projection. The last chunk moves the checkpoint to `next`.
   */
  private async applyInChunks(
    projection: Projection,
    client: Client,
    events: readonly RecordedEvent[],
    next: LogPosition,
    shadow: boolean,
  ): Promise<void> {
    const timing = this.timingOf(projection.name);
    let offset = 0;
    let previous = 0;
    do {
      // A quarter of the budget per chunk, growing at most twofold: costs vary by event type and load.
      const target = this.maxTransactionMs / 4;
      const fits =
        timing.msPerEvent === null
          ? 10 // a small first chunk measures the cost per event
          : Math.floor(target / Math.max(timing.msPerEvent, 0.001));
      const size = Math.max(1, Math.min(events.length - offset, fits, previous > 0 ? previous * 2 : fits));
      previous = size;
      const chunk = events.slice(offset, offset + size);
      offset += chunk.length;
      const last = chunk[chunk.length - 1];
      const chunkNext = offset >= events.length || !last ? next : last.position;
      const ms = await this.applyBatch(projection, client, chunk, chunkNext, shadow);
      timing.last = ms;
      timing.longest = Math.max(timing.longest ?? 0, ms);
      if (chunk.length > 0) {
        const perEvent = ms / chunk.length;
        // Slower at once (the next chunk shrinks right away), faster gradually.
        timing.msPerEvent =
          timing.msPerEvent === null || perEvent > timing.msPerEvent
            ? perEvent
            : 0.7 * timing.msPerEvent + 0.3 * perEvent;
      }
    } while (offset < events.length);
  }

  private timingOf(name: string) {
    let timing = this.timing.get(name);
    if (!timing) {
      timing = { msPerEvent: null, longest: null, last: null };
      this.timing.set(name, timing);
    }
    return timing;
  }

  /**
   * Applies events and moves the checkpoint in one transaction. Events at or before the stored
   * checkpoint are dropped, so applying the same batch twice changes nothing. Answers how long the
   * transaction took (ms).
   */
  async applyBatch(
    projection: Projection,
    client: Client,
    events: readonly RecordedEvent[],
    next: LogPosition,
    shadow: boolean,
  ): Promise<number> {
    for (;;) {
      await client.query('BEGIN');
      const { rows: pause } = await client.query<{ free: boolean }>(
        'SELECT pg_try_advisory_xact_lock_shared(hashtextextended($1, 0)) AS free',
        [projectionPauseKey(projection.name)],
      );
      if (pause[0]?.free) break;
      // Paused (verify is comparing the tables): wait outside any transaction.
      await client.query('ROLLBACK');
      if (this.stopped) return 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const started = performance.now();
    try {
      const { rows } = await client.query<CheckpointRow>(
        `SELECT ${CHECKPOINT_COLUMNS} FROM projection_checkpoints WHERE name = $1 FOR UPDATE`,
        [projection.name],
      );
      const row = rows[0];
      if (!row) throw new Error(`No checkpoint row for ${projection.name}`);
      const stored = shadow ? positionOf(row.rebuild_txid, row.rebuild_seq) : positionOf(row.txid, row.seq);
      const fresh = events.filter((e) => comparePositions(e.position, stored) > 0);
      if (fresh.length > 0) await projection.apply(fresh, this.context(client, projection, shadow));
      const target = maxPosition(stored, next);
      const columns = shadow
        ? 'rebuild_transaction_id = $2::xid8, rebuild_global_position = $3'
        : 'transaction_id = $2::xid8, global_position = $3, last_error = NULL';
      await client.query(`UPDATE projection_checkpoints SET ${columns}, updated_at = now() WHERE name = $1`, [
        projection.name,
        target.transactionId.toString(),
        target.sequence.toString(),
      ]);
      await client.query('COMMIT');
      return performance.now() - started;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private context(client: Client, projection: Projection, shadow: boolean): ProjectionContext {
    return {
      query: (text, params) => client.query(text, params as unknown[]),
      table: (name) => {
        if (!projection.tables.includes(name)) {
          throw new Error(`Projection ${projection.name} does not own table ${name}`);
        }
        return quote(shadow ? shadowName(name) : name);
      },
    };
  }

  /** One step of a rebuild; true once the shadow tables have caught up and were swapped in. */
  private async rebuildStep(
    projection: Projection,
    client: Client,
    checkpoint: CheckpointRow,
  ): Promise<boolean> {
    if (checkpoint.rebuild_txid === null) {
      await client.query('BEGIN');
      for (const table of projection.tables) {
        await client.query(`DROP TABLE IF EXISTS ${quote(shadowName(table))}`);
        await client.query(`CREATE TABLE ${quote(shadowName(table))} (LIKE ${quote(table)} INCLUDING ALL)`);
      }
      await client.query(
        `UPDATE projection_checkpoints SET rebuild_transaction_id = '0', rebuild_global_position = 0, status = 'rebuilding'
          WHERE name = $1`,
        [projection.name],
      );
      await client.query('COMMIT');
      return false;
    }
    const from = positionOf(checkpoint.rebuild_txid, checkpoint.rebuild_seq);
    const step = await this.catchUpStep(projection, client, from, true);
    if (step.full) return false;

    // Caught up with the head: swap the shadow tables in and move the live checkpoint with them.
    // The shadow tables take the live tables' place by name (no copy: the swap stays short whatever
    // their size), and their indexes the live indexes' names.
    await client.query('BEGIN');
    try {
      for (const table of projection.tables) {
        const names = await this.indexNames(client, table);
        await client.query(`DROP TABLE ${quote(table)}`);
        await client.query(`ALTER TABLE ${quote(shadowName(table))} RENAME TO ${quote(table)}`);
        for (const [from, to] of names)
          await client.query(`ALTER INDEX ${quote(from)} RENAME TO ${quote(to)}`);
      }
      await client.query(
        `UPDATE projection_checkpoints
            SET transaction_id = rebuild_transaction_id, global_position = rebuild_global_position,
                rebuild_transaction_id = NULL, rebuild_global_position = NULL, rebuild_requested_at = NULL,
                status = 'running', last_error = NULL, updated_at = now()
          WHERE name = $1`,
        [projection.name],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return true;
  }

  /** Pairs each index of the shadow of `table` with the live index of the same definition. */
  private async indexNames(client: Client, table: string): Promise<[string, string][]> {
    const indexes = async (relation: string) =>
      (
        await client.query<{ name: string; def: string }>(
          `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = to_regclass($1) ORDER BY i.relname`,
          [quote(relation)],
        )
      ).rows;
    // The definition without the index's own name and with the live table's name.
    const shape = (def: string, name: string, relation: string) =>
      def
        .replace(`INDEX ${quote(name)} `, 'INDEX ')
        .replace(`INDEX ${name} `, 'INDEX ')
        .split(` ${quote(relation)} `)
        .join(' T ')
        .split(` public.${quote(relation)} `)
        .join(' T ')
        .split(` public.${relation} `)
        .join(' T ')
        .split(` ${relation} `)
        .join(' T ');
    const live = await indexes(table);
    const pairs: [string, string][] = [];
    const taken = new Set<string>();
    for (const index of await indexes(shadowName(table))) {
      const wanted = shape(index.def, index.name, shadowName(table));
      const match = live.find((l) => !taken.has(l.name) && shape(l.def, l.name, table) === wanted);
      if (!match || match.name === index.name) continue;
      taken.add(match.name);
      pairs.push([index.name, match.name]);
    }
    return pairs;
  }

  private async readCheckpoint(name: string): Promise<CheckpointRow> {
    const { rows } = await this.database.query<CheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM projection_checkpoints WHERE name = $1`,
      [name],
    );
    const row = rows[0];
    if (!row) throw new Error(`No checkpoint row for ${name}`);
    return row;
  }

  /** Asks for a rebuild; whichever process runs the projection carries it out in the background. */
  async requestRebuild(name: string): Promise<boolean> {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) return false;
    if (projection.rebuildable === false) throw new ProjectionNotRebuildableError(name);
    await this.database.query(
      `UPDATE projection_checkpoints
          SET rebuild_requested_at = now(), rebuild_transaction_id = NULL, rebuild_global_position = NULL,
              status = 'rebuilding', updated_at = now()
        WHERE name = $1`,
      [name],
    );
    this.poke();
    return true;
  }

  async states(): Promise<ProjectionState[]> {
    const head = await this.store.committedHead();
    const { rows } = await this.database.query<
      CheckpointRow & { committed_after: string; not_readable: string }
    >(
      // Counted in log order, so that events committed by an older transaction after the checkpoint
      // moved (or not readable yet) count too; capped, then estimated from sequence numbers.
      `SELECT ${CHECKPOINT_COLUMNS},
              (SELECT count(*) FROM (SELECT 1 FROM events e
                 WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
                 LIMIT ${LAG_EXACT_UP_TO + 1}) x)::text AS committed_after,
              (SELECT count(*) FROM (SELECT 1 FROM events e
                 WHERE e.transaction_id >= pg_snapshot_xmin(pg_current_snapshot())
                 LIMIT ${LAG_EXACT_UP_TO + 1}) y)::text AS not_readable
         FROM projection_checkpoints c WHERE name = ANY($1) ORDER BY name`,
      [this.names],
    );
    return rows.map((row) => {
      const position = positionOf(row.txid, row.seq);
      const local = this.statuses.get(row.name);
      const status: ProjectionStatus = row.rebuild_requested_at
        ? 'rebuilding'
        : local === 'standby' || local === undefined
          ? 'running' // another process holds it; its checkpoint row tells how far it is
          : local;
      const counted = Number(row.committed_after);
      const timing = this.timing.get(row.name);
      return {
        name: row.name,
        position: formatPosition(position),
        lag:
          counted > LAG_EXACT_UP_TO ? Math.max(counted, Number(head.sequence - position.sequence)) : counted,
        notReadable: Number(row.not_readable),
        status: row.last_error && status !== 'rebuilding' ? 'failed' : status,
        rebuildPosition:
          row.rebuild_txid === null ? null : formatPosition(positionOf(row.rebuild_txid, row.rebuild_seq)),
        lastError: row.last_error,
        longestTransactionMs: timing?.longest === null || !timing ? null : Math.round(timing.longest),
        lastTransactionMs: timing?.last === null || !timing ? null : Math.round(timing.last),
      };
    });
  }

  /**
   * True once every named projection (all by default) has passed `position`. `db` reads the
   * checkpoints on a connection the caller holds already (a transaction) rather than on another one.
   */
  async hasReached(
    position: LogPosition,
    names: readonly string[] = this.names,
    db: Queryable = this.database,
  ): Promise<boolean> {
    const { rows } = await db.query<{ txid: string; seq: string }>(
      `SELECT transaction_id::text AS txid, global_position::text AS seq FROM projection_checkpoints WHERE name = ANY($1)`,
      [names],
    );
    if (rows.length < names.length) return false;
    return rows.every((row) => comparePositions(positionOf(row.txid, row.seq), position) >= 0);
  }

  /** Waits until the projections include `position`; false after `timeoutMs`. `db` as in hasReached. */
  async waitFor(
    position: LogPosition,
    timeoutMs: number,
    names?: readonly string[],
    db?: Queryable,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.hasReached(position, names, db)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  /** Whether this process runs the projection loops (start() was called, stop() not yet). */
  get started(): boolean {
    return this.loops.length > 0 && !this.stopped;
  }

  /** Whether the loops of this process are healthy (standby counts: another process runs it). */
  get healthy(): boolean {
    return [...this.statuses.values()].every((s) => s !== 'failed' && s !== 'stopped');
  }
}
