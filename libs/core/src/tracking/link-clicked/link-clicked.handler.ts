import { Injectable } from '@nestjs/common';
import { DomainRuleViolation } from '@app/domain';
import type { Queryable } from '@app/platform';
import type { DomainAppend } from '../../write-model/event-writer';
import { type PartnerRecord, WriteModelQueries } from '../../write-model/write-model.queries';
import type { EnvelopeHandler, IngestContext, IngestEnvelope } from '../../ingest/envelope-handler';
import { TrackingQueries } from '../tracking.queries';
import { clickEvents } from './click-events';

/** Finds a partner by id or code; a code may carry the settings' codePrefix, as in tracking URLs. */
export async function resolvePartner(
  queries: WriteModelQueries,
  ref: { partnerId?: string | undefined; partnerCode?: string | undefined },
  codePrefix: string,
  tx: Queryable,
  path: string,
): Promise<PartnerRecord> {
  let partner: PartnerRecord | null = null;
  if (ref.partnerId !== undefined) partner = await queries.partner(ref.partnerId, tx);
  else if (ref.partnerCode !== undefined) {
    partner = await queries.partnerByCode(ref.partnerCode, tx);
    const prefixed = codePrefix !== '' && ref.partnerCode.toLowerCase().startsWith(codePrefix.toLowerCase());
    if (!partner && prefixed)
      partner = await queries.partnerByCode(ref.partnerCode.slice(codePrefix.length), tx);
  }
  if (!partner) {
    throw new DomainRuleViolation(
      'unknown-partner',
      `unknown partner ${ref.partnerId ?? ref.partnerCode ?? ''}`,
      path,
    );
  }
  return partner;
}

@Injectable()
export class LinkClickedHandler implements EnvelopeHandler<'LinkClicked'> {
  readonly type = 'LinkClicked' as const;

  constructor(
    private readonly queries: WriteModelQueries,
    private readonly tracking: TrackingQueries,
  ) {}

  async handle(
    envelope: IngestEnvelope<'LinkClicked'>,
    { tx, settings }: IngestContext,
  ): Promise<DomainAppend[]> {
    const { data } = envelope;
    const partner = await resolvePartner(
      this.queries,
      data,
      settings.codePrefix,
      tx,
      data.partnerId ? 'partnerId' : 'partnerCode',
    );
    const link =
      data.linkId !== undefined
        ? await this.queries.link(data.linkId, tx)
        : await this.queries.linkByCode(data.linkCode ?? '', tx);
    if (!link)
      throw new DomainRuleViolation(
        'unknown-link',
        `unknown link ${data.linkId ?? data.linkCode ?? ''}`,
        data.linkId ? 'linkId' : 'linkCode',
      );
    if (data.adId !== undefined) {
      const ad = await this.queries.ad(data.adId, tx);
      if (!ad || ad.partnerId !== partner.id || ad.linkId !== link.id) {
        throw new DomainRuleViolation(
          'unknown-ad',
          `ad ${data.adId} is not an ad of this partner on this link`,
          'adId',
        );
      }
    }
    const joinedContact = data.contactId ?? (await this.tracking.contactOfVisitor(data.visitorId, tx));
    return clickEvents({
      eventId: envelope.eventId,
      occurredAt: envelope.occurredAt,
      partner,
      linkId: link.id,
      adId: data.adId ?? null,
      visitorId: data.visitorId,
      ip: data.ip ?? null,
      userAgent: data.userAgent ?? null,
      contactId: joinedContact,
      contactNamedOnClick: data.contactId !== undefined,
    });
  }
}
