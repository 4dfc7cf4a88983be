/**
 * The partner, link and ad a tracking URL names, looked up for the concurrent redirects of a few
 * milliseconds together (the group-commit window): one query each for the settings, the partners, the
 * links and the ads of the batch, instead of three or four per click.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, Batcher, Database, type Settled, notFound } from '@app/platform';
import { APP_CONFIG } from '../../infrastructure/tokens';
import {
  type AdRecord,
  type LinkRecord,
  type PartnerRecord,
  WriteModelQueries,
} from '../../write-model/write-model.queries';

export interface TrackingUrl {
  /** The settings' code prefix + the partner code, any case. */
  readonly partnerRef: string;
  readonly linkCode: string;
  readonly adId: string | null;
}

export interface ClickTarget {
  readonly partner: PartnerRecord;
  readonly link: LinkRecord;
  /** The ad named, if it is this partner's on this link (any other is ignored, not refused). */
  readonly ad: AdRecord | null;
}

@Injectable()
export class ClickTargets {
  private readonly batcher: Batcher<TrackingUrl, ClickTarget>;

  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.batcher = new Batcher(
      { windowMs: config.groupCommit.windowMs, maxSize: config.groupCommit.maxEnvelopes },
      (_, urls) => this.resolve(urls),
    );
  }

  /** The target of a tracking URL; a 404 problem for an unknown partner or link. */
  find(url: TrackingUrl): Promise<ClickTarget> {
    return this.batcher.submit('', url);
  }

  private async resolve(urls: readonly TrackingUrl[]): Promise<Settled<ClickTarget>[]> {
    const settings = await this.queries.settings(this.database);
    const prefix = settings.codePrefix.toLowerCase();
    const codeOf = (url: TrackingUrl) =>
      url.partnerRef.toLowerCase().startsWith(prefix) ? url.partnerRef.slice(prefix.length) : '';
    const codes = unique(urls.map(codeOf));
    const adIds = unique(urls.map((url) => url.adId ?? ''));
    const [partners, links, ads] = await Promise.all([
      this.queries.partnersByCodes(codes, this.database),
      this.queries.linksByCodes(unique(urls.map((url) => url.linkCode)), this.database),
      this.queries.adsByIds(adIds, this.database),
    ]);
    return urls.map((url): Settled<ClickTarget> => {
      const partner = partners.get(codeOf(url).toLowerCase());
      if (!partner) return { error: notFound(`No partner ${url.partnerRef}`) };
      const link = links.get(url.linkCode.toLowerCase());
      if (!link) return { error: notFound(`No link ${url.linkCode}`) };
      const ad = url.adId ? ads.get(url.adId) : undefined;
      return {
        value: { partner, link, ad: ad && ad.partnerId === partner.id && ad.linkId === link.id ? ad : null },
      };
    });
  }
}

/** The distinct non-empty values. */
function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))];
}
