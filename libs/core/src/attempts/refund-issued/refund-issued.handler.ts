/** A refund claws back the attempt's commissions proportionally and cumulatively. */
import { Injectable } from '@nestjs/common';
import { decideRefund } from '@app/domain';
import type { EnvelopeHandler, IngestContext, IngestEnvelope } from '../../ingest/envelope-handler';
import type { DomainAppend } from '../../write-model/event-writer';
import { AttemptStreams, attemptStream, pendingEvents } from '../attempt-stream';

@Injectable()
export class RefundIssuedHandler implements EnvelopeHandler<'RefundIssued'> {
  readonly type = 'RefundIssued' as const;

  constructor(private readonly attempts: AttemptStreams) {}

  async handle(envelope: IngestEnvelope<'RefundIssued'>, { tx }: IngestContext): Promise<DomainAppend[]> {
    const { refundId, attemptId, amount, currency } = envelope.data;
    const loaded = await this.attempts.load(attemptId, tx);
    const decided = decideRefund(loaded.state, { refundId, attemptId, amountMinor: amount, currency });
    if (decided.length === 0) return [];
    return [
      {
        streamId: attemptStream(attemptId),
        expectedVersion: loaded.expectedVersion,
        events: pendingEvents(envelope.eventId, envelope.occurredAt, decided),
      },
    ];
  }
}
