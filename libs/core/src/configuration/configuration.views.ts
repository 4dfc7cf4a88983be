/** What the configuration endpoints answer with (never a password or its hash). */
import type { AdRecord, LinkRecord, PartnerRecord } from '../write-model/write-model.queries';
import { trackingUrl } from './tracking-url';

export interface PartnerView extends PartnerRecord {
  /** Whether the partner can sign in to the Partner Center. */
  readonly hasPassword: boolean;
}

export interface AdView extends AdRecord {
  readonly trackingUrl: string;
}

export interface PartnerLinkView extends LinkRecord {
  readonly trackingUrl: string;
  readonly ads: readonly AdView[];
}

export function partnerView(partner: PartnerRecord, hasPassword: boolean): PartnerView {
  return { ...partner, hasPassword };
}

export interface TrackingContext {
  readonly publicBaseUrl: string;
  readonly codePrefix: string;
  readonly partnerCode: string;
}

export function adView(ad: AdRecord, linkCode: string, context: TrackingContext): AdView {
  return {
    ...ad,
    trackingUrl: trackingUrl(context.publicBaseUrl, context.codePrefix, context.partnerCode, linkCode, ad.id),
  };
}

export function partnerLinkView(
  link: LinkRecord,
  ads: readonly AdRecord[],
  context: TrackingContext,
): PartnerLinkView {
  return {
    ...link,
    trackingUrl: trackingUrl(context.publicBaseUrl, context.codePrefix, context.partnerCode, link.code),
    ads: ads.filter((ad) => ad.linkId === link.id).map((ad) => adView(ad, link.code, context)),
  };
}
