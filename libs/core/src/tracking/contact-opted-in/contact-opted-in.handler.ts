import { Injectable } from '@nestjs/common';
import { domainEvent, referralFor, referralsFromClicks } from '@app/domain';
import type { DomainAppend, PendingEvent } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import type { EnvelopeHandler, IngestContext, IngestEnvelope } from '../../ingest/envelope-handler';
import { contactStream } from '../link-clicked/click-events';
import { resolvePartner } from '../link-clicked/link-clicked.handler';
import { TrackingQueries } from '../tracking.queries';

/**
 * An opt-in joins the visitor's clicks to the contact: each creditable clicked partner becomes a
 * referral record (set at the click time); a partner named on the form becomes one too.
 */
@Injectable()
export class ContactOptedInHandler implements EnvelopeHandler<'ContactOptedIn'> {
  readonly type = 'ContactOptedIn' as const;

  constructor(
    private readonly queries: WriteModelQueries,
    private readonly tracking: TrackingQueries,
  ) {}

  async handle(
    envelope: IngestEnvelope<'ContactOptedIn'>,
    { tx, settings }: IngestContext,
  ): Promise<DomainAppend[]> {
    const { data, occurredAt, eventId } = envelope;
    const formPartner = data.partnerCode
      ? await resolvePartner(
          this.queries,
          { partnerCode: data.partnerCode },
          settings.codePrefix,
          tx,
          'partnerCode',
        )
      : null;

    const clicks = data.visitorId ? await this.tracking.unjoinedVisitorClicks(data.visitorId, tx) : [];
    const partners = await this.queries.partnersByIds([...new Set(clicks.map((c) => c.partnerId))], tx);
    const referrals = referralsFromClicks(data.contactId, clicks, partners, 'opt-in', occurredAt);
    if (formPartner?.status === 'active')
      referrals.push(referralFor(data.contactId, formPartner, 'opt-in', occurredAt));

    const events: PendingEvent[] = [
      {
        eventId,
        occurredAt,
        event: domainEvent('ContactOptedIn', {
          contactId: data.contactId,
          visitorId: data.visitorId ?? null,
          partnerId: formPartner?.id ?? null,
          email: data.email ?? null,
          ip: data.ip ?? null,
          formId: data.formId ?? null,
        }),
      },
      ...referrals.map((referral, index) => ({
        eventId: `${eventId}/referral/${index}`,
        occurredAt,
        event: domainEvent('ReferralRecorded', referral),
      })),
    ];
    return [{ streamId: contactStream(data.contactId), events }];
  }
}
