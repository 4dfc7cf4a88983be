/**
 * What the runner does for an inline projection (one its writers apply in the transaction of the
 * append, see Projection.inline): nothing to apply, so it only moves the checkpoint along the
 * readable log; and a rebuild replays the whole log into the live tables in one transaction that
 * holds the projection's pause lock exclusively, so no writer of it is in progress meanwhile (they
 * wait, then carry on with the rebuilt tables): every committed event is applied once, by the same
 * code the writers use.
 */
import type { Client } from 'pg';
import type { EventStore, RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from './projection';

const PAGE = 5000;
const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

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
    const context: ProjectionContext = {
      query: (text, params) => client.query(text, params as unknown[]),
      table: (name) => {
        if (!projection.tables.includes(name))
          throw new Error(`Projection ${projection.name} does not own table ${name}`);
        return quote(name);
      },
    };
    const types = projection.handles === 'all' ? null : projection.handles;
    let after = { txid: '0', seq: '0' };
    for (;;) {
      // No writer of the projection is in progress: every event it handles is committed and visible.
      const { rows } = await client.query<{
        txid: string;
        seq: string;
        event_id: string;
        stream_id: string;
        stream_version: number;
        type: string;
        data: Record<string, unknown>;
        metadata: Record<string, unknown>;
        occurred_at: Date;
        recorded_at: Date;
      }>(
        `SELECT transaction_id::text AS txid, global_position::text AS seq, event_id, stream_id, stream_version, type,
                data, metadata, occurred_at, recorded_at
           FROM events
          WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) AND ($3::text[] IS NULL OR type = ANY($3))
          ORDER BY transaction_id, global_position LIMIT $4`,
        [after.txid, after.seq, types, PAGE],
      );
      if (rows.length === 0) break;
      const events: RecordedEvent[] = rows.map((r) => ({
        position: { transactionId: BigInt(r.txid), sequence: BigInt(r.seq) },
        eventId: r.event_id,
        streamId: r.stream_id,
        streamVersion: r.stream_version,
        type: r.type,
        data: r.data,
        metadata: r.metadata,
        occurredAt: r.occurred_at.toISOString(),
        recordedAt: r.recorded_at.toISOString(),
      }));
      await projection.apply(events, context);
      const last = rows.at(-1);
      if (!last) throw new Error('A non-empty rebuild page has no last row');
      after = { txid: last.txid, seq: last.seq };
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
