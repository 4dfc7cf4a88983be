/** A click sent by an internal service (the redirect records its own through the same clickEvents). */
import { DomainRuleViolation } from '@app/domain';
import type { IngestSlice } from '../../ingest/ingest-slice';
import { clickEvents } from './click-events';

export const linkClickedSlice: IngestSlice<'LinkClicked'> = {
  type: 'LinkClicked',
  needs({ data }, needs) {
    needs.partner(data);
    needs.link(data);
    if (data.adId !== undefined) needs.adIds.add(data.adId);
    needs.visitors.add(data.visitorId);
  },
  decide(envelope, state) {
    const { data } = envelope;
    const partner = state.partner(data, data.partnerId ? 'partnerId' : 'partnerCode');
    const link = state.link(data);
    if (!link)
      throw new DomainRuleViolation(
        'unknown-link',
        `unknown link ${data.linkId ?? data.linkCode ?? ''}`,
        data.linkId ? 'linkId' : 'linkCode',
      );
    if (data.adId !== undefined) {
      const ad = state.ad(data.adId);
      if (!ad || ad.partnerId !== partner.id || ad.linkId !== link.id) {
        throw new DomainRuleViolation(
          'unknown-ad',
          `ad ${data.adId} is not an ad of this partner on this link`,
          'adId',
        );
      }
    }
    return clickEvents({
      eventId: envelope.eventId,
      occurredAt: envelope.occurredAt,
      partner,
      linkId: link.id,
      adId: data.adId ?? null,
      visitorId: data.visitorId,
      ip: data.ip ?? null,
      userAgent: data.userAgent ?? null,
      contactId: data.contactId ?? state.contactOfVisitor(data.visitorId),
      contactNamedOnClick: data.contactId !== undefined,
    });
  },
};
