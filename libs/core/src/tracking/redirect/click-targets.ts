/**
 * The partner, link and ad a tracking URL names, looked up for the concurrent redirects of a few
 * milliseconds together (the group-commit window): one query each for the settings, the partners, the
 * links and the ads of the batch, at once, instead of three or four one after the other per click.
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

/** The longest code prefix the settings accept. */
const MAX_CODE_PREFIX = 32;

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
    // The prefix is in the settings; rather than wait for them, ask for every code the reference could
    // end in (a prefix has at most 32 characters) and pick the right one after: one round trip, not two.
    const candidates = unique(
      urls.flatMap((url) =>
        Array.from({ length: Math.min(MAX_CODE_PREFIX, url.partnerRef.length - 1) + 1 }, (_, start) =>
          url.partnerRef.slice(start),
        ),
      ),
    );
    const [settings, partners, links, ads] = await Promise.all([
      this.queries.settings(this.database),
      this.queries.partnersByCodes(candidates, this.database),
      this.queries.linksByCodes(unique(urls.map((url) => url.linkCode)), this.database),
      this.queries.adsByIds(unique(urls.map((url) => url.adId ?? '')), this.database),
    ]);
    const prefix = settings.codePrefix.toLowerCase();
    return urls.map((url): Settled<ClickTarget> => {
      const ref = url.partnerRef.toLowerCase();
      const partner = ref.startsWith(prefix) ? partners.get(ref.slice(prefix.length)) : undefined;
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
