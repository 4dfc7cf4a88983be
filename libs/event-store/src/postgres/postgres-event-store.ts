/** The event store on PostgreSQL: see the event-store migration for the table and ordering rules. */
import type { Database, Queryable, Transaction } from '@app/platform';
import type {
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  RecordedEvent,
  StoreTransaction,
  StreamAppend,
} from '../event-store.port';
import { ConcurrencyError, EventIdConflictError } from '../event-store.errors';
import { eventContentHash } from '../content-hash';
import { LOG_START, type LogPosition } from '../position';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './event-rows';

function expectedVersionCode(expected: ExpectedVersion | undefined): number {
  if (expected === undefined || expected === 'any') return -2;
  if (expected === 'stream-exists') return -1;
  if (expected === 'no-stream') return 0;
  if (!Number.isInteger(expected) || expected < 0) throw new RangeError(`Bad expected version ${expected}`);
  return expected;
}

function describeExpected(code: number): string {
  return code === -2 ? 'any' : code === -1 ? 'stream-exists' : code === 0 ? 'no-stream' : String(code);
}

interface AppendRow {
  group_index: number;
  stream_id: string;
  status: string;
  stream_version: number;
  transaction_id: string;
  global_position: string;
}

const APPEND_COLUMNS =
  'group_index, stream_id, status, stream_version, transaction_id::text, global_position::text';

async function appendAlone(database: Queryable, payload: string): Promise<AppendRow[]> {
  const { rows } = await database.query<AppendRow>(
    `SELECT ${APPEND_COLUMNS} FROM append_to_streams($1::jsonb)`,
    [payload],
  );
  return rows;
}

/**
 * In the caller's transaction: a failed append is undone on its own, inside the statement (as a
 * savepoint would, without the round trips), and its error raised here as PostgreSQL raised it.
 */
async function appendInTransaction(tx: Transaction, payload: string): Promise<AppendRow[]> {
  const { rows } = await tx.query<
    AppendRow & {
      error_code: string | null;
      error_constraint: string | null;
      error_detail: string | null;
      error_message: string | null;
    }
  >(
    `SELECT ${APPEND_COLUMNS}, error_code, error_constraint, error_detail, error_message
       FROM append_to_streams_or_error($1::jsonb)`,
    [payload],
  );
  const failed = rows[0]?.status === 'failed' ? rows[0] : null;
  if (failed) {
    throw Object.assign(new Error(failed.error_message ?? 'append failed'), {
      code: failed.error_code ?? undefined,
      constraint: failed.error_constraint || undefined,
      detail: failed.error_detail || undefined,
    });
  }
  return rows;
}

export class PostgresEventStore implements EventStore {
  constructor(private readonly database: Database) {}

  private runner(tx?: StoreTransaction): Queryable {
    return (tx as Transaction | undefined) ?? this.database;
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion?: ExpectedVersion,
    tx?: StoreTransaction,
  ): Promise<AppendResult> {
    const [result] = await this.appendMany(
      [{ streamId, events, expectedVersion: expectedVersion ?? 'any' }],
      tx,
    );
    if (!result) throw new Error('append returned no result');
    return result;
  }

  async appendMany(appends: readonly StreamAppend[], tx?: StoreTransaction): Promise<AppendResult[]> {
    const groups = appends.filter((a) => a.events.length > 0);
    if (groups.length === 0) return [];
    const payload = groups.map((group) => ({
      streamId: group.streamId,
      expectedVersion: expectedVersionCode(group.expectedVersion),
      events: group.events.map((event) => ({
        eventId: event.eventId,
        type: event.type,
        data: event.data,
        metadata: event.metadata ?? {},
        occurredAt: event.occurredAt,
        contentHash: eventContentHash(group.streamId, event.type, event.data, event.occurredAt),
      })),
    }));
    const rows = await this.callAppend(JSON.stringify(payload), tx);
    // One row per appended event, or a single row for a duplicate group; the last row of a group wins.
    const lastRowOfGroup = new Map<number, (typeof rows)[number]>();
    for (const row of rows) lastRowOfGroup.set(row.group_index, row);
    return payload.map((group, index) => {
      const last = lastRowOfGroup.get(index + 1);
      if (!last) throw new Error(`append to ${group.streamId} returned no rows`);
      return {
        streamId: group.streamId,
        status: last.status === 'duplicate' ? 'duplicate' : 'appended',
        streamVersion: last.stream_version,
        position: { transactionId: BigInt(last.transaction_id), sequence: BigInt(last.global_position) },
      };
    });
  }

  private async callAppend(payload: string, tx?: StoreTransaction): Promise<AppendRow[]> {
    // A concurrent append of the same event id waits for the other transaction, then fails the unique
    // index; once more, the function sees the committed event and answers duplicate or conflict.
    for (let attempt = 1; ; attempt++) {
      try {
        return await (tx
          ? appendInTransaction(tx as Transaction, payload)
          : appendAlone(this.database, payload));
      } catch (error) {
        const pgError = error as { code?: string; constraint?: string; detail?: string };
        if (pgError.code === '23505' && pgError.constraint === 'events_event_id_unique' && attempt < 3)
          continue;
        if (pgError.code === '23505' && pgError.constraint === 'events_stream_version_unique') {
          throw new ConcurrencyError('unknown', 'unknown', null);
        }
        if (pgError.code === 'RL409') throw new EventIdConflictError(pgError.detail ?? 'unknown');
        if (pgError.code === 'RL412') {
          const detail = JSON.parse(pgError.detail ?? '{}') as {
            streamId?: string;
            expected?: number;
            actual?: number | null;
          };
          throw new ConcurrencyError(
            detail.streamId ?? 'unknown',
            describeExpected(detail.expected ?? -2),
            detail.actual ?? null,
          );
        }
        throw error;
      }
    }
  }

  async readStream(streamId: string, tx?: StoreTransaction): Promise<RecordedEvent[]> {
    const { rows } = await this.runner(tx).query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    return rows.map(toRecordedEvent);
  }

  async readStreams(
    streamIds: readonly string[],
    tx?: StoreTransaction,
  ): Promise<Map<string, RecordedEvent[]>> {
    const streams = new Map<string, RecordedEvent[]>();
    if (streamIds.length === 0) return streams;
    const { rows } = await this.runner(tx).query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY($1) ORDER BY stream_id, stream_version`,
      [streamIds],
    );
    for (const row of rows) {
      const list = streams.get(row.stream_id);
      if (list) list.push(toRecordedEvent(row));
      else streams.set(row.stream_id, [toRecordedEvent(row)]);
    }
    return streams;
  }

  async readAll(after: LogPosition, options: ReadAllOptions): Promise<ReadAllPage> {
    const params: unknown[] = [after.transactionId.toString(), after.sequence.toString(), options.limit];
    let filter = '';
    if (options.types) {
      params.push(options.types);
      filter += ` AND type = ANY($${params.length})`;
    }
    if (options.recordedUpTo) {
      params.push(options.recordedUpTo);
      filter += ` AND recorded_at <= $${params.length}`;
    }
    // Only below the oldest transaction still running: an event of an older, slower transaction can
    // still appear there, so reading past it would skip that event.
    const { rows } = await this.database.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())${filter}
        ORDER BY events.transaction_id, events.global_position
        LIMIT $3`,
      params,
    );
    const events = rows.map(toRecordedEvent);
    const last = events[events.length - 1];
    return { events, next: last ? last.position : after };
  }

  async findEvent(eventId: string, tx?: StoreTransaction): Promise<RecordedEvent | null> {
    const { rows } = await this.runner(tx).query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = $1`,
      [eventId],
    );
    return rows[0] ? toRecordedEvent(rows[0]) : null;
  }

  async lockStreams(streamIds: readonly string[], tx: StoreTransaction): Promise<void> {
    if (streamIds.length === 0) return;
    await (tx as Transaction).query(
      'SELECT 1 FROM event_streams WHERE stream_id = ANY($1) ORDER BY stream_id FOR UPDATE',
      [[...streamIds]],
    );
  }

  async findEvents(eventIds: readonly string[], tx?: StoreTransaction): Promise<Map<string, RecordedEvent>> {
    if (eventIds.length === 0) return new Map();
    const { rows } = await this.runner(tx).query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ANY($1)`,
      [eventIds],
    );
    return new Map(rows.map((row) => [row.event_id, toRecordedEvent(row)]));
  }

  async readableHead(): Promise<LogPosition> {
    return this.head('WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())');
  }

  async committedHead(tx?: StoreTransaction): Promise<LogPosition> {
    return this.head('', tx);
  }

  private async head(where: string, tx?: StoreTransaction): Promise<LogPosition> {
    const { rows } = await this.runner(tx).query<{ txid: string; seq: string }>(
      `SELECT transaction_id::text AS txid, global_position::text AS seq FROM events ${where}
        ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
    );
    const row = rows[0];
    return row ? { transactionId: BigInt(row.txid), sequence: BigInt(row.seq) } : LOG_START;
  }
}
