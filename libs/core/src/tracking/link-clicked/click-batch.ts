/**
 * Clicks are most of the traffic, so a run of LinkClicked envelopes is prepared together: one query
 * each for the known event ids, partners, links, ads and joined visitors, instead of several per
 * click. The rules are those of LinkClickedHandler; the events come from the same clickEvents().
 */
import { Injectable } from '@nestjs/common';
import { DomainRuleViolation } from '@app/domain';
import type { Queryable } from '@app/platform';
import type { IngestEnvelope } from '../../ingest/envelope-handler';
import type { DomainAppend } from '../../write-model/event-writer';
import { type PartnerRecord, WriteModelQueries } from '../../write-model/write-model.queries';
import { TrackingQueries } from '../tracking.queries';
import { clickEvents } from './click-events';

export type PreparedClick = { appends: DomainAppend[] } | { violation: DomainRuleViolation };

@Injectable()
export class ClickBatch {
  constructor(
    private readonly queries: WriteModelQueries,
    private readonly tracking: TrackingQueries,
  ) {}

  async prepare(
    run: readonly IngestEnvelope<'LinkClicked'>[],
    codePrefix: string,
    tx: Queryable,
  ): Promise<PreparedClick[]> {
    const datas = run.map((e) => e.data);
    const prefix = codePrefix.toLowerCase();
    const codes = new Set<string>();
    for (const d of datas) {
      if (d.partnerId !== undefined || d.partnerCode === undefined) continue;
      const code = d.partnerCode.toLowerCase();
      codes.add(code);
      if (prefix !== '' && code.startsWith(prefix)) codes.add(code.slice(prefix.length));
    }
    // One after the other: they share the transaction's connection.
    const byId = await this.queries.partnersByIds(unique(datas.map((d) => d.partnerId)), tx);
    const byCode = await this.queries.partnersByCodes([...codes], tx);
    const linksById = await this.queries.linksByIds(unique(datas.map((d) => d.linkId)), tx);
    const linkCodes = unique(datas.map((d) => (d.linkId === undefined ? d.linkCode : undefined)));
    const linksByCode = await this.queries.linksByCodes(linkCodes, tx);
    const ads = await this.queries.adsByIds(unique(datas.map((d) => d.adId)), tx);
    const contacts = await this.tracking.contactsOfVisitors(unique(datas.map((d) => d.visitorId)), tx);
    return run.map((envelope): PreparedClick => {
      const d = envelope.data;
      let partner: PartnerRecord | undefined;
      if (d.partnerId !== undefined) partner = byId.get(d.partnerId);
      else if (d.partnerCode !== undefined) {
        const code = d.partnerCode.toLowerCase();
        partner =
          byCode.get(code) ??
          (prefix !== '' && code.startsWith(prefix) ? byCode.get(code.slice(prefix.length)) : undefined);
      }
      if (!partner) {
        const ref = d.partnerId ?? d.partnerCode ?? '';
        return {
          violation: new DomainRuleViolation(
            'unknown-partner',
            `unknown partner ${ref}`,
            d.partnerId ? 'partnerId' : 'partnerCode',
          ),
        };
      }
      const link =
        d.linkId !== undefined ? linksById.get(d.linkId) : linksByCode.get((d.linkCode ?? '').toLowerCase());
      if (!link) {
        const ref = d.linkId ?? d.linkCode ?? '';
        return {
          violation: new DomainRuleViolation(
            'unknown-link',
            `unknown link ${ref}`,
            d.linkId ? 'linkId' : 'linkCode',
          ),
        };
      }
      if (d.adId !== undefined) {
        const ad = ads.get(d.adId);
        if (!ad || ad.partnerId !== partner.id || ad.linkId !== link.id) {
          return {
            violation: new DomainRuleViolation(
              'unknown-ad',
              `ad ${d.adId} is not an ad of this partner on this link`,
              'adId',
            ),
          };
        }
      }
      // A click naming its contact joins the visitor for the clicks after it, as one by one.
      if (d.contactId !== undefined && !contacts.has(d.visitorId)) contacts.set(d.visitorId, d.contactId);
      return {
        appends: clickEvents({
          eventId: envelope.eventId,
          occurredAt: envelope.occurredAt,
          partner,
          linkId: link.id,
          adId: d.adId ?? null,
          visitorId: d.visitorId,
          ip: d.ip ?? null,
          userAgent: d.userAgent ?? null,
          contactId: d.contactId ?? contacts.get(d.visitorId) ?? null,
          contactNamedOnClick: d.contactId !== undefined,
        }),
      };
    });
  }
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}
