/**
 * What the runner does for an inline projection (one its writers apply in the transaction of the
 * append, see Projection.inline). Following the log, nothing is left to apply, so it only moves the
 * checkpoint along the readable log. A rebuild fills shadow tables in short batches like any other
 * projection's (ShadowRebuild) while the writers keep deciding on the live tables; once the shadow
 * has caught up with the head, finishInlineRebuild takes its place in one short transaction.
 */
import type { Client } from 'pg';
import { type EventStore, readEventRange } from '@app/event-store';
import { inTransaction } from '@app/platform';
import { projectionPauseKey } from './batch-applier';
import { readCheckpoint } from './checkpoint';
import type { Projection } from './projection';
import { projectionContext, shadowName } from './projection-tables';

/**
 * At most this many events may still be missing from the shadow when it takes the live tables'
 * place: applied inside the swapping transaction, which keeps the writers waiting meanwhile. More
 * than that (a burst of writes during the last batch) and the rebuild catches up in batches again.
 */
const MOST_EVENTS_AT_SWAP = 1000;

/** How long the swap waits for a lock (a writer finishing, a reader of a live table) before retrying later. */
const SWAP_LOCK_TIMEOUT_MS = 250;

/** Every event at or before the readable head is applied already: the checkpoint moves there. */
export async function advanceInline(
  projection: Projection,
  client: Client,
  store: EventStore,
): Promise<void> {
  const head = await store.readableHead();
  await client.query(
    `UPDATE projection_checkpoints SET transaction_id = $2::xid8, global_position = $3, last_error = NULL, updated_at = now()
      WHERE name = $1 AND (transaction_id, global_position) < ($2::xid8, $3::bigint)`,
    [projection.name, head.transactionId.toString(), head.sequence.toString()],
  );
}

export type ReplaceLiveTables = (projection: Projection, client: Client) => Promise<void>;

/**
 * The last step of an inline projection's rebuild, in one transaction: takes its pause lock
 * exclusively (the writers hold it shared until they commit: none is in progress then, and new ones
 * wait), so that every event it handles is committed and visible; applies the few the shadow lacks;
 * lets `replaceLive` swap the shadow tables in. False, having changed nothing, when a lock was not
 * free soon enough or too many events were missing: the caller catches up again and retries. The
 * live checkpoint stays where it was (advanceInline moves it on): the live tables always had every
 * committed event.
 */
export async function finishInlineRebuild(
  projection: Projection,
  client: Client,
  replaceLive: ReplaceLiveTables,
): Promise<boolean> {
  try {
    // Nothing is written before the last check: a `false` commits an empty transaction.
    return await inTransaction(client, async () => {
      await client.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT_MS}ms'`);
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        projectionPauseKey(projection.name),
      ]);
      const row = await readCheckpoint(client, projection.name, true);
      // Asked for again meanwhile: the shadow tables are made afresh first.
      if (row.rebuild_txid === null) return false;
      const page = await readEventRange(client, {
        after: { txid: row.rebuild_txid, seq: row.rebuild_seq ?? '0' },
        types: projection.handles === 'all' ? null : projection.handles,
        limit: MOST_EVENTS_AT_SWAP + 1,
      });
      if (page.events.length > MOST_EVENTS_AT_SWAP) return false;
      await projection.apply(page.events, projectionContext(client, projection, shadowName));
      await replaceLive(projection, client);
      await client.query(
        `UPDATE projection_checkpoints
            SET rebuild_transaction_id = NULL, rebuild_global_position = NULL, rebuild_requested_at = NULL,
                status = 'running', last_error = NULL, updated_at = now()
          WHERE name = $1`,
        [projection.name],
      );
      return true;
    });
  } catch (error) {
    if (isLockTimeout(error)) return false;
    throw error;
  }
}

function isLockTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '55P03';
}
