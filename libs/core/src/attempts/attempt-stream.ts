/** Loads an attempt's stream and folds it with the domain's attempt decider. */
import { Inject, Injectable } from '@nestjs/common';
import {
  ATTEMPT_EVENT_TYPES,
  type Attempt,
  type AttemptEvent,
  type DomainEvent,
  foldAttempt,
  isEventOfType,
} from '@app/domain';
import { EVENT_STORE, type EventStore, type ExpectedVersion, type StoreTransaction } from '@app/event-store';
import type { PendingEvent } from '../write-model/event-writer';

export const attemptStream = (attemptId: string) => `attempt-${attemptId}`;

const ATTEMPT_TYPES = new Set<string>(ATTEMPT_EVENT_TYPES);

export interface LoadedAttempt {
  readonly state: Attempt;
  /** For the append: the stream must still be exactly as read. */
  readonly expectedVersion: ExpectedVersion;
}

@Injectable()
export class AttemptStreams {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(attemptId: string, tx?: StoreTransaction): Promise<LoadedAttempt> {
    const recorded = await this.store.readStream(attemptStream(attemptId), tx);
    const events = recorded
      .filter((e) => ATTEMPT_TYPES.has(e.type))
      .map((e) => ({ type: e.type, data: e.data }) as unknown as AttemptEvent);
    const last = recorded[recorded.length - 1];
    return { state: foldAttempt(events), expectedVersion: last ? last.streamVersion : 'no-stream' };
  }
}

/**
 * Gives the decided events their ids: the first carries the envelope's id; the others derive from it,
 * with a '/' that client ids may not contain, so a retry produces the same ids.
 */
export function pendingEvents(
  envelopeEventId: string,
  occurredAt: string,
  events: readonly DomainEvent[],
): PendingEvent[] {
  return events.map((event, index) => ({
    eventId: index === 0 ? envelopeEventId : `${envelopeEventId}/${derivedKey(event, index)}`,
    event,
    occurredAt,
  }));
}

/** The events whose derived id names what they are about (any other: its type and place). */
const KEYED_TYPES = ['CommissionEarned', 'CommissionClawedBack', 'AttemptAttributed'] as const;

function derivedKey(event: DomainEvent, index: number): string {
  if (!isEventOfType(event, KEYED_TYPES)) return `${event.type}/${index}`;
  switch (event.type) {
    case 'CommissionEarned':
      return `commission/${event.data.commissionId}`;
    case 'CommissionClawedBack':
      return `clawback/${event.data.commissionId}`;
    case 'AttemptAttributed':
      return 'attributed';
  }
}
