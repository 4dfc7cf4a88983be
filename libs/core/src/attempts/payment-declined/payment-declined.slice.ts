/** A declined payment: the attempt's one outcome, earning nothing. */
import { decideDecline } from '@app/domain';
import type { IngestSlice } from '../../ingest/ingest-slice';
import { attemptStream, pendingEvents } from '../attempt-stream';

export const paymentDeclinedSlice: IngestSlice<'PaymentDeclined'> = {
  type: 'PaymentDeclined',
  needs({ data }, needs) {
    needs.attempts.add(data.attemptId);
  },
  decide(envelope, state) {
    const { attemptId, reason } = envelope.data;
    const loaded = state.attempt(attemptId);
    const decided = decideDecline(loaded.state, { attemptId, reason: reason ?? null });
    return [
      {
        streamId: attemptStream(attemptId),
        expectedVersion: loaded.expectedVersion,
        events: pendingEvents(envelope.eventId, envelope.occurredAt, decided),
      },
    ];
  },
};
