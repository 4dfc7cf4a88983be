import { Query } from '@nestjs/cqrs';
import type { RecordedEvent } from '@app/event-store';

export type AuditEventView = Omit<RecordedEvent, 'position'> & { position: string };

export interface AuditEventsPage {
  events: AuditEventView[];
  /** Where the next page starts: follow it to see every event exactly once. */
  next: string;
}

/** A page of the event log in order, after a position returned by this API (the start by default). */
export class ReadEventsQuery extends Query<AuditEventsPage> {
  constructor(
    readonly after: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}
