/** A declined payment: the attempt's one outcome, earning nothing. */
import { Injectable } from '@nestjs/common';
import { decideDecline } from '@app/domain';
import type { EnvelopeHandler, IngestContext, IngestEnvelope } from '../../ingest/envelope-handler';
import type { DomainAppend } from '../../write-model/event-writer';
import { AttemptStreams, attemptStream, pendingEvents } from '../attempt-stream';

@Injectable()
export class PaymentDeclinedHandler implements EnvelopeHandler<'PaymentDeclined'> {
  readonly type = 'PaymentDeclined' as const;

  constructor(private readonly attempts: AttemptStreams) {}

  async handle(envelope: IngestEnvelope<'PaymentDeclined'>, { tx }: IngestContext): Promise<DomainAppend[]> {
    const { attemptId, reason } = envelope.data;
    const loaded = await this.attempts.load(attemptId, tx);
    const decided = decideDecline(loaded.state, { attemptId, reason: reason ?? null });
    return [
      {
        streamId: attemptStream(attemptId),
        expectedVersion: loaded.expectedVersion,
        events: pendingEvents(envelope.eventId, envelope.occurredAt, decided),
      },
    ];
  }
}
