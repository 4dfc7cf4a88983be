/** A refund claws back the attempt's commissions proportionally and cumulatively. */
import { decideRefund } from '@app/domain';
import type { IngestSlice } from '../../ingest/ingest-slice';
import { attemptStream, pendingEvents } from '../attempt-stream';

export const refundIssuedSlice: IngestSlice<'RefundIssued'> = {
  type: 'RefundIssued',
  needs({ data }, needs) {
    needs.attempts.add(data.attemptId);
  },
  decide(envelope, state) {
    const { refundId, attemptId, amount, currency } = envelope.data;
    const loaded = state.attempt(attemptId);
    const decided = decideRefund(loaded.state, { refundId, attemptId, amountMinor: amount, currency });
    if (decided.length === 0) return [];
    return [
      {
        streamId: attemptStream(attemptId),
        expectedVersion: loaded.expectedVersion,
        events: pendingEvents(envelope.eventId, envelope.occurredAt, decided),
      },
    ];
  },
};
