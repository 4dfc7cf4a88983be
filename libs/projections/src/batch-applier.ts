/**
 * Applies the log to a projection a page at a time, each page in transactions of about a quarter of
 * the time budget (sized from the measured cost per event), each storing the checkpoint with the
 * changes it made, so that no projection holds back the log's readers (or vacuum) for long.
 */
import type { Client } from 'pg';
import {
  type EventStore,
  type LogPosition,
  type RecordedEvent,
  comparePositions,
  maxPosition,
} from '@app/event-store';
import { inTransaction } from '@app/platform';
import { positionOf, readCheckpoint } from './checkpoint';
import type { Projection } from './projection';
import { projectionContext, shadowName } from './projection-tables';
import { type ApplyTiming, applyInTimedChunks, freshTiming } from './timed-chunks';

/**
 * The advisory lock that pauses a projection between two of its transactions: every apply
 * transaction tries it shared first (and retries shortly when it is taken), so a holder of it
 * exclusively (verify, comparing the live tables) sees them stand still, while nothing waits
 * inside a transaction.
 */
export function projectionPauseKey(name: string): string {
  return `projection-pause:${name}`;
}

const PAUSED_RETRY_MS = 50;

export interface BatchApplierOptions {
  /** Events read from the log per page (keyset). */
  readonly batchSize: number;
  /** Pages while rebuilding from the start. */
  readonly rebuildBatchSize: number;
  /** How long one apply transaction may take, about. */
  readonly maxTransactionMs: number;
  /** True once the runner stops: a paused projection then stops waiting. */
  readonly stopped: () => boolean;
}

export class BatchApplier {
  private readonly timings = new Map<string, ApplyTiming>();

  constructor(
    private readonly store: EventStore,
    private readonly options: BatchApplierOptions,
  ) {}

  /** The timing of `name` so far (undefined before its first transaction in this process). */
  timing(name: string): Readonly<ApplyTiming> | undefined {
    return this.timings.get(name);
  }

  /**
   * Reads one page after `from` and applies it, live or into the shadow tables; `full` says whether
   * more may be waiting.
   */
  async catchUp(
    projection: Projection,
    client: Client,
    from: LogPosition,
    shadow: boolean,
  ): Promise<{ full: boolean; next: LogPosition }> {
    const head = await this.store.readableHead();
    const limit = shadow ? this.options.rebuildBatchSize : this.options.batchSize;
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
    const budget = {
      maxTransactionMs: this.options.maxTransactionMs,
      timing: this.timingOf(projection.name),
    };
    await applyInTimedChunks(events, budget, (chunk, final) => {
      const last = chunk.at(-1);
      return this.applyBatch(projection, client, chunk, final || !last ? next : last.position, shadow);
    });
  }

  private timingOf(name: string): ApplyTiming {
    let timing = this.timings.get(name);
    if (!timing) {
      timing = freshTiming();
      this.timings.set(name, timing);
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
      let started = 0;
      const applied = await inTransaction(client, async () => {
        if (!(await this.mayRun(client, projection.name))) return false;
        started = performance.now();
        const row = await readCheckpoint(client, projection.name, true);
        const stored = shadow ? positionOf(row.rebuild_txid, row.rebuild_seq) : positionOf(row.txid, row.seq);
        const fresh = events.filter((e) => comparePositions(e.position, stored) > 0);
        if (fresh.length > 0)
          await projection.apply(
            fresh,
            projectionContext(client, projection, shadow ? shadowName : undefined),
          );
        const target = maxPosition(stored, next);
        const columns = shadow
          ? 'rebuild_transaction_id = $2::xid8, rebuild_global_position = $3'
          : 'transaction_id = $2::xid8, global_position = $3, last_error = NULL';
        await client.query(
          `UPDATE projection_checkpoints SET ${columns}, updated_at = now() WHERE name = $1`,
          [projection.name, target.transactionId.toString(), target.sequence.toString()],
        );
        return true;
      });
      if (applied) return performance.now() - started;
      // Paused (verify is comparing the tables): the empty transaction is over; wait outside it.
      if (this.options.stopped()) return 0;
      await new Promise((resolve) => setTimeout(resolve, PAUSED_RETRY_MS));
    }
  }

  /** Takes the pause lock shared for this transaction; false while verify holds it. */
  private async mayRun(client: Client, name: string): Promise<boolean> {
    const { rows } = await client.query<{ free: boolean }>(
      'SELECT pg_try_advisory_xact_lock_shared(hashtextextended($1, 0)) AS free',
      [projectionPauseKey(name)],
    );
    return rows[0]?.free ?? false;
  }
}
