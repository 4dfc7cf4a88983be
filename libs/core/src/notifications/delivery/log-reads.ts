/**
 * Reads a projection needs beyond the event it is applying: the other events appended in the same
 * transaction (a collection's commissions, an opt-in's referrals) or earlier on the same stream. They
 * read the PostgreSQL log table on the projection's own transaction, as the audit verifier does; the
 * events they find are committed and immutable, so a replay reads exactly the same.
 */
import type { RecordedEvent } from '@app/event-store';
import type { Queryable } from '@app/platform';

export interface StreamEvent {
  readonly eventId: string;
  readonly type: string;
  readonly streamVersion: number;
  readonly data: Record<string, unknown>;
}

interface StreamEventRow {
  event_id: string;
  type: string;
  stream_version: number;
  data: Record<string, unknown>;
}

const STREAM_EVENT_COLUMNS = 'event_id, type, stream_version, data';

const toStreamEvent = (row: StreamEventRow): StreamEvent => ({
  eventId: row.event_id,
  type: row.type,
  streamVersion: row.stream_version,
  data: row.data,
});

/** Events of `event`'s stream appended after it in the same transaction, in order. */
export async function laterInSameTransaction(
  db: Queryable,
  event: RecordedEvent,
  types: readonly string[],
): Promise<StreamEvent[]> {
  const { rows } = await db.query<StreamEventRow>(
    `SELECT ${STREAM_EVENT_COLUMNS} FROM events
      WHERE stream_id = $1 AND stream_version > $2 AND transaction_id = $3::xid8 AND type = ANY($4)
      ORDER BY stream_version`,
    [event.streamId, event.streamVersion, event.position.transactionId.toString(), types],
  );
  return rows.map(toStreamEvent);
}

/** The first event of a type on `event`'s stream before it (e.g. an attempt's attribution). */
export async function earlierOnStream(
  db: Queryable,
  event: RecordedEvent,
  type: string,
): Promise<StreamEvent | null> {
  const { rows } = await db.query<StreamEventRow>(
    `SELECT ${STREAM_EVENT_COLUMNS} FROM events
      WHERE stream_id = $1 AND stream_version < $2 AND type = $3
      ORDER BY stream_version LIMIT 1`,
    [event.streamId, event.streamVersion, type],
  );
  const row = rows[0];
  return row ? toStreamEvent(row) : null;
}
