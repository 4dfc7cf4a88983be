/** The attempt streams' ids and the ids of the events the attempt deciders produce. */
import { type DomainEvent, isEventOfType } from '@app/domain';
import type { PendingEvent } from '../write-model/event-writer';

export const attemptStream = (attemptId: string): string => `attempt-${attemptId}`;

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
