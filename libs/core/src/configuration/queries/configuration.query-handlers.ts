import { Inject, type Type } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Program, Settings } from '@app/domain';
import { type AppConfig, notFound } from '@app/platform';
import { APP_CONFIG } from '../../infrastructure/tokens';
import {
  type AdRecord,
  type LinkRecord,
  type PartnerRecord,
  WriteModelQueries,
} from '../../write-model/write-model.queries';
import {
  type AdView,
  type PartnerLinkView,
  type PartnerView,
  type TrackingContext,
  adView,
  partnerLinkView,
  partnerView,
} from '../configuration.views';
import { PartnerCredentials } from '../partner-credentials';
import {
  GetPartnerQuery,
  GetProgramQuery,
  GetSettingsQuery,
  ListLinksQuery,
  ListPartnerAdsQuery,
  ListPartnerLinksQuery,
  ListPartnersQuery,
  ListProgramsQuery,
} from './configuration.queries';

@QueryHandler(GetSettingsQuery)
export class GetSettingsHandler implements IQueryHandler<GetSettingsQuery> {
  constructor(private readonly queries: WriteModelQueries) {}

  async execute(): Promise<Settings> {
    return this.queries.settings();
  }
}

@QueryHandler(ListProgramsQuery)
export class ListProgramsHandler implements IQueryHandler<ListProgramsQuery> {
  constructor(private readonly queries: WriteModelQueries) {}

  async execute(): Promise<Program[]> {
    return this.queries.listPrograms();
  }
}

@QueryHandler(GetProgramQuery)
export class GetProgramHandler implements IQueryHandler<GetProgramQuery> {
  constructor(private readonly queries: WriteModelQueries) {}

  async execute({ programId }: GetProgramQuery): Promise<Program> {
    const program = await this.queries.program(programId);
    if (!program) throw notFound(`No program ${programId}`);
    return program;
  }
}

@QueryHandler(ListPartnersQuery)
export class ListPartnersHandler implements IQueryHandler<ListPartnersQuery> {
  constructor(
    private readonly queries: WriteModelQueries,
    private readonly credentials: PartnerCredentials,
  ) {}

  async execute(): Promise<PartnerView[]> {
    const partners = await this.queries.listPartners();
    const withPassword = await this.credentials.withPassword(partners.map((p) => p.id));
    return partners.map((p) => partnerView(p, withPassword.has(p.id)));
  }
}

@QueryHandler(GetPartnerQuery)
export class GetPartnerHandler implements IQueryHandler<GetPartnerQuery> {
  constructor(
    private readonly queries: WriteModelQueries,
    private readonly credentials: PartnerCredentials,
  ) {}

  async execute({ partnerId }: GetPartnerQuery): Promise<PartnerView> {
    const partner = await existingPartner(this.queries, partnerId);
    const withPassword = await this.credentials.withPassword([partnerId]);
    return partnerView(partner, withPassword.has(partnerId));
  }
}

@QueryHandler(ListLinksQuery)
export class ListLinksHandler implements IQueryHandler<ListLinksQuery> {
  constructor(private readonly queries: WriteModelQueries) {}

  async execute(): Promise<LinkRecord[]> {
    return this.queries.listLinks();
  }
}

@QueryHandler(ListPartnerAdsQuery)
export class ListPartnerAdsHandler implements IQueryHandler<ListPartnerAdsQuery> {
  constructor(
    private readonly queries: WriteModelQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ partnerId }: ListPartnerAdsQuery): Promise<AdView[]> {
    const { ads, links, context } = await partnerTracking(this.queries, this.config, partnerId);
    const linkCodes = new Map(links.map((link) => [link.id, link.code]));
    return ads.map((ad) => adView(ad, linkCodes.get(ad.linkId) ?? '', context));
  }
}

@QueryHandler(ListPartnerLinksQuery)
export class ListPartnerLinksHandler implements IQueryHandler<ListPartnerLinksQuery> {
  constructor(
    private readonly queries: WriteModelQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ partnerId }: ListPartnerLinksQuery): Promise<PartnerLinkView[]> {
    const { ads, links, context } = await partnerTracking(this.queries, this.config, partnerId);
    return links.map((link) => partnerLinkView(link, ads, context));
  }
}

export const CONFIGURATION_QUERY_HANDLERS: Type[] = [
  GetSettingsHandler,
  ListProgramsHandler,
  GetProgramHandler,
  ListPartnersHandler,
  GetPartnerHandler,
  ListLinksHandler,
  ListPartnerAdsHandler,
  ListPartnerLinksHandler,
];

async function existingPartner(queries: WriteModelQueries, partnerId: string): Promise<PartnerRecord> {
  const partner = await queries.partner(partnerId);
  if (!partner) throw notFound(`No partner ${partnerId}`);
  return partner;
}

async function trackingContext(
  queries: WriteModelQueries,
  config: AppConfig,
  partner: PartnerRecord,
): Promise<TrackingContext> {
  const { codePrefix } = await queries.settings();
  return { publicBaseUrl: config.publicBaseUrl, codePrefix, partnerCode: partner.code };
}

/** What a partner's tracking URLs are made of: its ads, every link, the URL parts; 404 for no such partner. */
async function partnerTracking(
  queries: WriteModelQueries,
  config: AppConfig,
  partnerId: string,
): Promise<{ ads: AdRecord[]; links: LinkRecord[]; context: TrackingContext }> {
  const partner = await existingPartner(queries, partnerId);
  const [ads, links, context] = await Promise.all([
    queries.adsOfPartner(partnerId),
    queries.listLinks(),
    trackingContext(queries, config, partner),
  ]);
  return { ads, links, context };
}
