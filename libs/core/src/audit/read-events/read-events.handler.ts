import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, LOG_START, formatPosition, parsePosition } from '@app/event-store';
import { badRequest } from '@app/platform';
import { type AuditEventsPage, ReadEventsQuery } from './read-events.query';

@QueryHandler(ReadEventsQuery)
export class ReadEventsHandler implements IQueryHandler<ReadEventsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ after: afterText, limit }: ReadEventsQuery): Promise<AuditEventsPage> {
    const after = afterText ? parsePosition(afterText) : LOG_START;
    if (!after)
      throw badRequest('Invalid position', [
        { path: 'after', message: 'must be a position returned by this API' },
      ]);
    const page = await this.store.readAll(after, { limit });
    return {
      events: page.events.map((e) => ({
        position: formatPosition(e.position),
        streamId: e.streamId,
        streamVersion: e.streamVersion,
        eventId: e.eventId,
        type: e.type,
        occurredAt: e.occurredAt,
        recordedAt: e.recordedAt,
        data: e.data,
        metadata: e.metadata,
      })),
      next: formatPosition(page.next),
    };
  }
}
