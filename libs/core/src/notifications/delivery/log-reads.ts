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

/** One event and the types of the events after it that a projection wants. */
export interface FollowingRequest {
  readonly event: RecordedEvent;
  readonly types: readonly string[];
}

/**
 * For each request, in its place, the events of its event's stream appended after it in the same
 * transaction, of the types asked for, in order: one query for a whole batch.
 */
export async function laterInSameTransactions(
  db: Queryable,
  requests: readonly FollowingRequest[],
): Promise<StreamEvent[][]> {
  const found: StreamEvent[][] = requests.map(() => []);
  if (requests.length === 0) return found;
  const { rows } = await db.query<StreamEventRow & { i: number }>(
    `SELECT r.i::int AS i, e.event_id, e.type, e.stream_version, e.data
       FROM unnest($1::text[], $2::int[], $3::xid8[], $4::text[])
              WITH ORDINALITY AS r(stream_id, stream_version, transaction_id, types, i)
       JOIN events e ON e.stream_id = r.stream_id AND e.stream_version > r.stream_version
                    AND e.transaction_id = r.transaction_id
      WHERE e.type = ANY(string_to_array(r.types, ','))
      ORDER BY r.i, e.stream_version`,
    [
      requests.map((r) => r.event.streamId),
      requests.map((r) => r.event.streamVersion),
      requests.map((r) => r.event.position.transactionId.toString()),
      requests.map((r) => r.types.join(',')),
    ],
  );
  for (const row of rows) found[row.i - 1]?.push(toStreamEvent(row));
  return found;
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
