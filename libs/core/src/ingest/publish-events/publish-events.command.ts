import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../auth/caller';
import type { EnvelopeRequest } from '../envelope.request';
import type { IngestResponse } from './publish-events.responses';

/** Commerce events published over HTTP: validated, then through the ingest pipeline in order. */
export class PublishEventsCommand extends Command<IngestResponse> {
  constructor(
    readonly events: readonly EnvelopeRequest[],
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
