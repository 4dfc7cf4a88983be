/**
 * Runs every projection: one loop per projection, which follows the log while this process leads
 * it and stands by otherwise. The jobs are each a class of their own: who leads
 * (ProjectionLeadership), when to look again (WakeUps), applying pages with their checkpoint
 * (BatchApplier), rebuilding into shadow tables (ShadowRebuild). This class ties them together and
 * answers for the projections' state.
 */
import type { Client } from 'pg';
import { type EventStore, type LogPosition, comparePositions, formatPosition } from '@app/event-store';
import { type Queryable, processIdentity } from '@app/platform';
import { BatchApplier } from './batch-applier';
import { CHECKPOINT_COLUMNS, type CheckpointRow, positionOf, readCheckpoint } from './checkpoint';
import { ProjectionLeadership } from './leadership';
import type { Projection } from './projection';
import { ShadowRebuild } from './shadow-rebuild';
import { Slots } from './slots';
import { WakeUps } from './wake-ups';

import { projectionPauseKey } from './batch-applier';

export { projectionPauseKey };
export { projectionLease } from './leadership';
import { advanceInline } from './inline-projection';

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
  /**
   * How long a projection that has caught up waits after a wake-up before it reads again (default 0):
   * the events committed meanwhile are applied as one batch instead of one small batch per commit, so
   * a stream of small writes (clicks) costs the read side a few transactions a second, not hundreds.
   * It adds at most this much to how soon an event reaches the read models.
   */
  readonly settleMs?: number;
  /**
   * How many projections apply a rebuild page at the same moment (default 2, the cores of the
   * machine this was measured on): each holds a page (rebuildBatchSize events) in memory, so this
   * bounds the memory of rebuilding everything at once; the others wait for a slot between pages.
   */
  readonly rebuildsAtOnce?: number;
  readonly onError?: (projection: string, error: unknown) => void;
  /** Who this process is in lease_acquisitions (default: processIdentity('all')). */
  readonly holder?: string;
  /** Told when this process takes over a projection. */
  readonly onLeadership?: (projection: string) => void;
}

/** Lag is counted exactly up to this many events. */
const LAG_EXACT_UP_TO = 10_000;

export class ProjectionRunner {
  private readonly statuses = new Map<string, ProjectionStatus>();
  private readonly loops: Promise<void>[] = [];
  private stopped = false;
  private readonly idlePollMs: number;
  private readonly settleMs: number;
  private readonly wakeUps: WakeUps;
  private readonly leadership: ProjectionLeadership;
  private readonly applier: BatchApplier;
  private readonly rebuild: ShadowRebuild;
  private readonly rebuildSlots: Slots;

  constructor(
    private readonly projections: readonly Projection[],
    private readonly store: EventStore,
    private readonly database: Queryable,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.idlePollMs = options.idlePollMs ?? 500;
    this.settleMs = options.settleMs ?? 0;
    this.wakeUps = new WakeUps(options.databaseUrl);
    this.leadership = new ProjectionLeadership(options.databaseUrl, options.holder ?? processIdentity('all'));
    this.applier = new BatchApplier(store, {
      // Pages are held in memory, one per projection at a time (several rebuild at once): large enough
      // for few round trips, small enough to keep the process under its memory target.
      batchSize: options.batchSize ?? 2000,
      rebuildBatchSize: options.rebuildBatchSize ?? 2500,
      maxTransactionMs: options.maxTransactionMs ?? 1000,
      stopped: () => this.stopped,
    });
    this.rebuild = new ShadowRebuild(this.applier);
    this.rebuildSlots = new Slots(options.rebuildsAtOnce ?? 2);
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
    await this.wakeUps.start();
    for (const projection of this.projections) this.loops.push(this.run(projection));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const listenerEnded = this.wakeUps.stop();
    await Promise.allSettled(this.loops);
    await listenerEnded;
  }

  /** Wakes the loops now (they also wake on LISTEN/NOTIFY and on a short poll). */
  poke(): void {
    this.wakeUps.poke();
  }

  /** One projection's loop: lead it when its lease is free, follow the log, back off after failures. */
  private async run(projection: Projection): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let client: Client | null = null;
      try {
        client = await this.leadership.tryLead(projection.name);
        if (!client) {
          this.statuses.set(projection.name, 'standby');
          await this.wakeUps.idle(1000);
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
        await this.wakeUps.idle(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
      } finally {
        // Ending the connection gives the lease up.
        await client?.end().catch(() => undefined);
      }
    }
    this.statuses.set(projection.name, 'stopped');
  }

  /** Holds the lease on `client` and keeps the projection up to date until stopped. */
  private async follow(projection: Projection, client: Client, onProgress: () => void): Promise<void> {
    while (!this.stopped) {
      const checkpoint = await readCheckpoint(this.database, projection.name);
      if (checkpoint.rebuild_requested_at) {
        this.statuses.set(projection.name, 'rebuilding');
        const caughtUp = await this.rebuildSlots.run(() => this.rebuild.step(projection, client, checkpoint));
        // An inline projection's live tables keep every committed event while its shadow fills.
        if (projection.inline) await advanceInline(projection, client, this.store);
        if (!caughtUp) continue;
        this.statuses.set(projection.name, 'running');
      }
      if (projection.inline) {
        if (!checkpoint.rebuild_requested_at) await advanceInline(projection, client, this.store);
        onProgress();
        await this.waitForMore();
        continue;
      }
      const advanced = await this.applier.catchUp(
        projection,
        client,
        positionOf(checkpoint.txid, checkpoint.seq),
        false,
      );
      onProgress();
      if (!advanced.full) await this.waitForMore();
    }
  }

  /** Caught up: until a wake-up (or the poll), then a little longer for the events of the next commits. */
  private async waitForMore(): Promise<void> {
    await this.wakeUps.idle(this.idlePollMs);
    if (this.settleMs > 0) await this.wakeUps.pause(this.settleMs);
  }

  /** Applies events and moves the checkpoint in one transaction: see BatchApplier.applyBatch. */
  applyBatch(...batch: Parameters<BatchApplier['applyBatch']>): Promise<number> {
    return this.applier.applyBatch(...batch);
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
      const timing = this.applier.timing(row.name);
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
