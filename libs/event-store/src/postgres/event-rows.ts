/**
 * The events table as rows, read the one way: the columns to select, the mapping to a RecordedEvent,
 * and a page of the log between two positions (the store, the inline rebuild and the audit replay
 * all read it so).
 */
import type { QueryResultRow } from 'pg';
import type { EventMetadata, RecordedEvent } from '../event-store.port';

export interface EventRow {
  txid: string;
  seq: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  occurred_at: Date;
  recorded_at: Date;
}

// Aliased: ORDER BY would otherwise pick the text casts and sort positions as strings.
export const EVENT_COLUMNS =
  'transaction_id::text AS txid, global_position::text AS seq, event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    position: { transactionId: BigInt(row.txid), sequence: BigInt(row.seq) },
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
  };
}

/** A log position as PostgreSQL text (xid8 and bigint), the form checkpoints are read in. */
export interface TextPosition {
  readonly txid: string;
  readonly seq: string;
}

/** Anything that runs SQL: a pg Client or PoolClient, the Database, a Transaction. */
export interface RowReader {
  query<R extends QueryResultRow>(text: string, params: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * The events in (after, upTo] of the types given (null: all), in log order, at most limit of them;
 * next is the position of the last one read (after when none was).
 */
export async function readEventRange(
  client: RowReader,
  range: {
    readonly after: TextPosition;
    readonly upTo?: TextPosition;
    readonly types: readonly string[] | null;
    readonly limit: number;
  },
): Promise<{ events: RecordedEvent[]; next: TextPosition }> {
  const { after, upTo, types, limit } = range;
  const { rows } = await client.query<EventRow>(
    `SELECT ${EVENT_COLUMNS}
       FROM events
      WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
        AND ($3::xid8 IS NULL OR (transaction_id, global_position) <= ($3::xid8, $4::bigint))
        AND ($5::text[] IS NULL OR type = ANY($5))
      ORDER BY transaction_id, global_position LIMIT $6`,
    [after.txid, after.seq, upTo?.txid ?? null, upTo?.seq ?? null, types, limit],
  );
  const last = rows.at(-1);
  return { events: rows.map(toRecordedEvent), next: last ? { txid: last.txid, seq: last.seq } : after };
}
