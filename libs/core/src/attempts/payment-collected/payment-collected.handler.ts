/** A collected payment decides the attempt's commissions once, appended atomically with the collection. */
import { Injectable } from '@nestjs/common';
import { type CommissionPartner, decideCollect } from '@app/domain';
import type { Transaction } from '@app/platform';
import type { EnvelopeHandler, IngestContext, IngestEnvelope } from '../../ingest/envelope-handler';
import type { DomainAppend } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { AttemptStreams, attemptStream, pendingEvents } from '../attempt-stream';

@Injectable()
export class PaymentCollectedHandler implements EnvelopeHandler<'PaymentCollected'> {
  readonly type = 'PaymentCollected' as const;

  constructor(
    private readonly attempts: AttemptStreams,
    private readonly queries: WriteModelQueries,
  ) {}

  async handle(
    envelope: IngestEnvelope<'PaymentCollected'>,
    { tx, settings }: IngestContext,
  ): Promise<DomainAppend[]> {
    const { attemptId } = envelope.data;
    const loaded = await this.attempts.load(attemptId, tx);
    const state = loaded.state;
    const partners = new Map<string, CommissionPartner>();
    let collectedRenewalsBefore = 0;
    if (state.status !== 'none') {
      const roots = [state.attribution?.salePartnerId, state.attribution?.leadPartnerId].filter(
        (id): id is string => !!id,
      );
      for (const root of roots) {
        for (const partner of await this.queries.partnerChain(root, settings.levels, tx))
          partners.set(partner.id, partner);
      }
      if (state.purchase.kind === 'renewal' && state.purchase.subscriptionId) {
        collectedRenewalsBefore = await this.lockRenewalCount(state.purchase.subscriptionId, tx);
      }
    }
    const programIds = [...new Set([...partners.values()].flatMap((p) => p.programIds))];
    const decided = decideCollect(state, {
      attemptId,
      context: {
        partners,
        programsById: await this.queries.programsByIds(programIds, tx),
        settings,
        collectedRenewalsBefore,
      },
    });
    return [
      {
        streamId: attemptStream(attemptId),
        expectedVersion: loaded.expectedVersion,
        events: pendingEvents(envelope.eventId, envelope.occurredAt, decided),
      },
    ];
  }

  /** Locks the subscription row so that two renewals collected at once count one after the other. */
  private async lockRenewalCount(subscriptionId: string, tx: Transaction): Promise<number> {
    const { rows } = await tx.query<{ collected_renewals: number }>(
      'SELECT collected_renewals FROM subscriptions WHERE subscription_id = $1 FOR UPDATE',
      [subscriptionId],
    );
    return rows[0]?.collected_renewals ?? 0;
  }
}
