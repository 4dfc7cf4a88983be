/** The events of one click, whether it came through the redirect or from an internal service. */
import { domainEvent, referralsFromClicks, type LinkClickedData } from '@app/domain';
import type { DomainAppend, PendingEvent } from '../../write-model/event-writer';
import type { PartnerRecord } from '../../write-model/write-model.queries';

export interface ClickFacts {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly partner: PartnerRecord;
  readonly linkId: string;
  readonly adId: string | null;
  readonly visitorId: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** Named on the click, or the contact the visitor was already joined to. */
  readonly contactId: string | null;
  readonly contactNamedOnClick: boolean;
}

export const visitorStream = (visitorId: string): string => `visitor-${visitorId}`;
export const contactStream = (contactId: string): string => `contact-${contactId}`;

export function clickEvents(facts: ClickFacts): DomainAppend[] {
  const data: LinkClickedData = {
    clickId: facts.eventId,
    partnerId: facts.partner.id,
    linkId: facts.linkId,
    adId: facts.adId,
    visitorId: facts.visitorId,
    ip: facts.ip,
    userAgent: facts.userAgent,
    contactId: facts.contactNamedOnClick ? facts.contactId : null,
    // An inactive partner's click is counted in its stats but credits no one.
    creditable: facts.partner.status === 'active',
  };
  const appends: DomainAppend[] = [
    {
      streamId: visitorStream(facts.visitorId),
      events: [
        { eventId: facts.eventId, event: domainEvent('LinkClicked', data), occurredAt: facts.occurredAt },
      ],
    },
  ];
  // A click by a known contact goes straight into its referral history.
  if (facts.contactId) {
    const referrals = referralsFromClicks(
      facts.contactId,
      [{ ...data, occurredAt: facts.occurredAt }],
      new Map([[facts.partner.id, facts.partner]]),
      'click',
      facts.occurredAt,
    );
    const events: PendingEvent[] = referrals.map((referral) => ({
      eventId: `${facts.eventId}/referral/${referral.partnerId}`,
      event: domainEvent('ReferralRecorded', referral),
      occurredAt: facts.occurredAt,
    }));
    if (events.length > 0) appends.push({ streamId: contactStream(facts.contactId), events });
  }
  return appends;
}
