/** Appends domain events and applies them to the write model (its projection, inline), atomically. */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DomainEvent } from '@app/domain';
import {
  type AppendResult,
  EVENT_STORE,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  LOG_START,
  formatPosition,
  maxPosition,
} from '@app/event-store';
import { Database, type Transaction } from '@app/platform';
import { projectionPauseKey } from '@app/projections';
import { WRITE_MODEL_PROJECTION, applyToWriteModel, liveWriteModel } from './write-model.projection';

/**
 * Every transaction that writes the write model holds its pause lock shared, from before its first
 * write until it commits: a rebuild or a verify of the write model takes it exclusively, and then
 * sees the tables and the log stand still and agree.
 */
export async function holdWriteModel(tx: Transaction): Promise<void> {
  // Once per transaction: a request's ingest takes it before it reads, then writes through `write`.
  // (No savepoint of the service takes it, so a rollback to one never gives it back early.)
  if (holdingWriteModel.has(tx)) return;
  await tx.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [
    projectionPauseKey(WRITE_MODEL_PROJECTION),
  ]);
  holdingWriteModel.add(tx);
}

/** The transactions that already hold the write model's pause lock (until they end). */
const holdingWriteModel = new WeakSet<Transaction>();

export interface PendingEvent {
  readonly eventId: string;
  readonly event: DomainEvent;
  readonly occurredAt: string;
  /** Extra metadata for this event (e.g. the ingest envelope's hash). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface DomainAppend {
  readonly streamId: string;
  readonly expectedVersion?: ExpectedVersion;
  readonly events: readonly PendingEvent[];
}

export interface CommandMetadata {
  readonly actor: string;
  readonly correlationId?: string | null;
  readonly causationId?: string | null;
}

export interface WriteResult {
  readonly results: readonly AppendResult[];
  /** The position of the last event written (or found, for duplicates): what `waitFor` takes. */
  readonly position: string;
  readonly duplicate: boolean;
}

@Injectable()
export class EventWriter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly database: Database,
  ) {}

  /** One new event on one stream, now (an admin's command): `write` with a fresh event id. */
  async writeOne(
    append: {
      readonly streamId: string;
      readonly expectedVersion?: ExpectedVersion;
      readonly event: DomainEvent;
    },
    meta: CommandMetadata,
    tx?: Transaction,
  ): Promise<WriteResult> {
    const { streamId, expectedVersion, event } = append;
    const pending: PendingEvent = { eventId: randomUUID(), event, occurredAt: new Date().toISOString() };
    return this.write([{ streamId, expectedVersion, events: [pending] }], meta, tx);
  }

  async write(
    appends: readonly DomainAppend[],
    meta: CommandMetadata,
    tx?: Transaction,
  ): Promise<WriteResult> {
    if (!tx) return this.database.transaction((own) => this.write(appends, meta, own));
    await holdWriteModel(tx);
    const results = await this.store.appendMany(
      appends.map((append) => ({
        streamId: append.streamId,
        expectedVersion: append.expectedVersion ?? 'any',
        events: append.events.map((pending) => ({
          eventId: pending.eventId,
          type: pending.event.type,
          data: pending.event.data,
          occurredAt: pending.occurredAt,
          metadata: {
            actor: meta.actor,
            correlationId: meta.correlationId ?? null,
            causationId: meta.causationId ?? null,
            ...pending.metadata,
          } satisfies EventMetadata,
        })),
      })),
      tx,
    );
    await applyToWriteModel(
      liveWriteModel(tx),
      appends.flatMap((append, index) =>
        results[index]?.status !== 'appended'
          ? []
          : append.events.map((pending) => ({
              eventId: pending.eventId,
              streamId: append.streamId,
              occurredAt: pending.occurredAt,
              event: pending.event,
            })),
      ),
    );
    const position = results.reduce((max, r) => maxPosition(max, r.position), LOG_START);
    return {
      results,
      position: formatPosition(position),
      duplicate: results.length > 0 && results.every((r) => r.status === 'duplicate'),
    };
  }
}
