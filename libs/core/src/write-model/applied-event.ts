/** An event as the write model applies it: from the log (rebuild, audit) or just appended (inline). */
import { type DomainEvent, type DomainEventType, type EventOfType, isEventOfType } from '@app/domain';

export interface AppliedEvent<E extends DomainEvent = DomainEvent> {
  readonly eventId: string;
  readonly streamId: string;
  readonly occurredAt: string;
  readonly event: E;
}

/** Whether the applied event is of one of the types (narrowing it to them). */
export function isAppliedOfType<const T extends DomainEventType>(
  applied: AppliedEvent,
  types: readonly T[],
): applied is AppliedEvent<EventOfType<T>> {
  return isEventOfType(applied.event, types);
}
