/**
 * An opt-in joins the visitor's clicks to the contact: each creditable clicked partner becomes a
 * referral record (set at the click time); a partner named on the form becomes one too.
 */
import { domainEvent, referralFor, referralsFromClicks } from '@app/domain';
import type { IngestSlice } from '../../ingest/ingest-slice';
import type { PendingEvent } from '../../write-model/event-writer';
import { contactStream } from '../link-clicked/click-events';

export const contactOptedInSlice: IngestSlice<'ContactOptedIn'> = {
  type: 'ContactOptedIn',
  needs({ data }, needs) {
    if (data.partnerCode) needs.partner({ partnerCode: data.partnerCode });
    if (data.visitorId) {
      needs.visitors.add(data.visitorId);
      needs.clickVisitors.add(data.visitorId);
    }
  },
  decide(envelope, state) {
    const { data, occurredAt, eventId } = envelope;
    const formPartner = data.partnerCode
      ? state.partner({ partnerCode: data.partnerCode }, 'partnerCode')
      : null;
    const clicks = data.visitorId ? state.unjoinedVisitorClicks(data.visitorId) : [];
    const partners = state.partnersByIds(new Set(clicks.map((c) => c.partnerId)));
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
  },
};
