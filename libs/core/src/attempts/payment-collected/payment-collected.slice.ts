/** A collected payment decides the attempt's commissions once, appended atomically with the collection. */
import { type CommissionPartner, decideCollect } from '@app/domain';
import type { IngestSlice } from '../../ingest/ingest-slice';
import { attemptStream, pendingEvents } from '../attempt-stream';

export const paymentCollectedSlice: IngestSlice<'PaymentCollected'> = {
  type: 'PaymentCollected',
  needs({ data }, needs) {
    // The credited partners' chains, their programs and a renewal's subscription come with the attempt.
    needs.attempts.add(data.attemptId);
    needs.commissions = true;
  },
  decide(envelope, state) {
    const { attemptId } = envelope.data;
    const { settings } = state;
    const loaded = state.attempt(attemptId);
    const attempt = loaded.state;
    const partners = new Map<string, CommissionPartner>();
    let collectedRenewalsBefore = 0;
    if (attempt.status !== 'none') {
      const roots = [attempt.attribution?.salePartnerId, attempt.attribution?.leadPartnerId].filter(
        (id): id is string => !!id,
      );
      for (const root of roots)
        for (const partner of state.partnerChain(root, settings.levels)) partners.set(partner.id, partner);
      if (attempt.purchase.kind === 'renewal' && attempt.purchase.subscriptionId) {
        collectedRenewalsBefore = state.subscription(attempt.purchase.subscriptionId)?.collectedRenewals ?? 0;
      }
    }
    const programIds = new Set([...partners.values()].flatMap((p) => p.programIds));
    const decided = decideCollect(attempt, {
      attemptId,
      context: { partners, programsById: state.programsByIds(programIds), settings, collectedRenewalsBefore },
    });
    return [
      {
        streamId: attemptStream(attemptId),
        expectedVersion: loaded.expectedVersion,
        events: pendingEvents(envelope.eventId, envelope.occurredAt, decided),
      },
    ];
  },
};
