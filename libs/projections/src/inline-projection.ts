/**
 * What the runner does for an inline projection (one its writers apply in the transaction of the
 * append, see Projection.inline): nothing to apply, so it only moves the checkpoint along the
 * readable log; and a rebuild replays the whole log into the live tables in one transaction that
 * holds the projection's pause lock exclusively, so no writer of it is in progress meanwhile (they
 * wait, then carry on with the rebuilt tables): every committed event is applied once, by the same
 * code the writers use.
 */
import type { Client } from 'pg';
import { type EventStore, type TextPosition, readEventRange } from '@app/event-store';
import type { Projection } from './projection';
import { projectionContext, quoteIdentifier as quote } from './projection-tables';

const PAGE = 5000;

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

export async function rebuildInline(projection: Projection, client: Client, pauseKey: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [pauseKey]);
    // References into the tables (e.g. credentials to partners) are checked at the commit.
    await client.query('SET CONSTRAINTS ALL DEFERRED');
    for (const table of [...projection.tables].reverse()) await client.query(`DELETE FROM ${quote(table)}`);
    const context = projectionContext(client, projection);
    const types = projection.handles === 'all' ? null : projection.handles;
    let after: TextPosition = { txid: '0', seq: '0' };
    for (;;) {
      // No writer of the projection is in progress: every event it handles is committed and visible.
      const page = await readEventRange(client, { after, types, limit: PAGE });
      if (page.events.length === 0) break;
      await projection.apply(page.events, context);
      after = page.next;
    }
    // The checkpoint stays where it was: advanceInline moves it on along the readable log.
    await client.query(
      `UPDATE projection_checkpoints
          SET rebuild_transaction_id = NULL, rebuild_global_position = NULL, rebuild_requested_at = NULL,
              status = 'running', last_error = NULL, updated_at = now()
        WHERE name = $1`,
      [projection.name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
