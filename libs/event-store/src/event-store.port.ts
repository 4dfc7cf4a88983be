/** The event store as the rest of the service sees it; PostgreSQL is one implementation of it. */
import type { LogPosition } from './position';

export interface EventMetadata {
  readonly correlationId?: string | null;
  readonly causationId?: string | null;
  /** Who caused it: an API key's name, a partner, or "system". */
  readonly actor?: string | null;
  readonly [key: string]: unknown;
}

export interface NewEvent {
  /** Unique in the whole store, forever: the idempotency key. */
  readonly eventId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly occurredAt: string;
  readonly metadata?: EventMetadata;
}

export interface RecordedEvent {
  readonly position: LogPosition;
  readonly eventId: string;
  readonly streamId: string;
  /** 1 for a stream's first event. */
  readonly streamVersion: number;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: EventMetadata;
  readonly occurredAt: string;
  readonly recordedAt: string;
}

/** 'any'; 'no-stream' (must not exist yet); 'stream-exists'; or the exact number of events so far. */
export type ExpectedVersion = 'any' | 'no-stream' | 'stream-exists' | number;

export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion?: ExpectedVersion;
}

export interface AppendResult {
  readonly streamId: string;
  /** 'duplicate': every event id was already stored with the same content; nothing was written. */
  readonly status: 'appended' | 'duplicate';
  /** The stream's version after its last event of this append. */
  readonly streamVersion: number;
  /** The position of the group's last event. */
  readonly position: LogPosition;
}

export interface ReadAllPage {
  readonly events: readonly RecordedEvent[];
  /** Where the next read starts: the last event's position, or `after` when the page is empty. */
  readonly next: LogPosition;
}

export interface ReadAllOptions {
  readonly limit: number;
  /** Only these types (the position still advances past the others). */
  readonly types?: readonly string[];
  /** Only events recorded at or before this instant (audit "as of"). */
  readonly recordedUpTo?: string;
}

/**
 * An open transaction of the store: appends and reads through it commit or roll back together,
 * with whatever else the caller writes in it.
 */
export interface StoreTransaction {
  readonly kind: 'store-transaction';
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion?: ExpectedVersion,
    tx?: StoreTransaction,
  ): Promise<AppendResult>;
  /** Appends to many streams atomically, in one round trip. Results come in the order given. */
  appendMany(appends: readonly StreamAppend[], tx?: StoreTransaction): Promise<AppendResult[]>;
  readStream(streamId: string, tx?: StoreTransaction): Promise<RecordedEvent[]>;
  /** Several streams in one round trip, by stream id (a stream without events is absent). */
  readStreams(streamIds: readonly string[], tx?: StoreTransaction): Promise<Map<string, RecordedEvent[]>>;
  /** Events after `after` in log order, never skipping one that commits late. */
  readAll(after: LogPosition, options: ReadAllOptions): Promise<ReadAllPage>;
  findEvent(eventId: string, tx?: StoreTransaction): Promise<RecordedEvent | null>;
  /**
   * Takes, until the transaction ends, the locks every append to these streams takes (in stream order,
   * as appends take them): the caller's next append to them cannot lose to another writer. For a
   * writer that lost a race on a stream version a few times already.
   */
  lockStreams(streamIds: readonly string[], tx: StoreTransaction): Promise<void>;
  /** The stored events among these ids, by id. */
  findEvents(eventIds: readonly string[], tx?: StoreTransaction): Promise<Map<string, RecordedEvent>>;
  /** The position of the last event a follower can read now (LOG_START when empty). */
  readableHead(): Promise<LogPosition>;
  /**
   * The position of the last committed event, including ones followers cannot read yet (and the
   * transaction's own, when `tx` is given: its connection is used instead of another one).
   */
  committedHead(tx?: StoreTransaction): Promise<LogPosition>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
