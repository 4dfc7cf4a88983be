/**
 * The Partner Center: a signed-in partner's own profile, links, ads, stats, ledger and commissions.
 * Every answer is limited to the partner in the token; asking for another partner's data is refused.
 */
import { Body, Controller, Get, Post, Query, Res, StreamableFile, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { CommissionEarnedData } from '@app/domain';
import { FIRST_DAY, LAST_DAY, dayRangeToInstants } from '@app/domain';
import { type AppConfig, Database, ProblemError } from '@app/platform';
import { InjectConfig } from '../infrastructure/infrastructure.module';
import { recruitingUrl } from '../configuration/tracking-url';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/caller';
import { Roles } from '../auth/roles.decorator';
import { commissionView } from '../attempts/queries/attempt-views';
import { CreateAdCommand } from '../configuration/create-ad/create-ad.command';
import { CreateAdRequest, adFromRequest } from '../configuration/create-ad/create-ad.request';
import {
  GetPartnerQuery,
  ListPartnerAdsQuery,
  ListPartnerLinksQuery,
} from '../configuration/queries/configuration.queries';
import { PartnerLedgerQuery } from '../reports/ledger/ledger.query';
import { LinkStatsQuery } from '../reports/link-stats/link-stats.query';
import { LinkStatsRequest } from '../reports/link-stats/link-stats.request';
import { ProductsSoldQuery } from '../reports/products-sold/products-sold.query';
import { PartnerLedgerRequest, ReportRangeRequest } from '../reports/shared/report-range.request';
import { sqlInstant } from '../reports/shared/report-window';
import { LedgerPdfService, sendPdf } from '../reports/ledger/ledger-pdf.service';
import { WriteModelQueries } from '../write-model/write-model.queries';
import { IsDay } from '../validation/calendar.validation';
import { MeRequest, OnlyMyPartnerId, PARTNER_ID, me } from './signed-in-partner';
import { AdResponse, AdWrittenResponse, PartnerLinkResponse } from '../configuration/configuration.responses';
import { LinkStatsResponse } from '../reports/link-stats/link-stats.responses';
import { ProductsSoldResponse } from '../reports/products-sold/products-sold.responses';
import { PartnerLedgerResponse } from '../reports/ledger/ledger.responses';
import { MeProfileResponse, MyCommissionsResponse } from './partner-center.responses';
import { ApiProblems } from '../openapi/api-docs';

export class MyCommissionsRequest extends MeRequest {
  @IsOptional()
  @IsDay()
  from?: string;

  @IsOptional()
  @IsDay()
  to?: string;
}

/** The ledger of the signed-in partner, as JSON or a printable PDF; `partnerId` may only name it. */
export class MyLedgerRequest extends PartnerLedgerRequest {
  @ApiPropertyOptional({ description: "The signed-in partner's own id; another partner's is 403" })
  @IsOptional()
  @IsString()
  @Matches(PARTNER_ID, { message: 'must be an id (1..128 characters of A-Za-z0-9._:-)' })
  partnerId?: string;
}

/** An ad of the signed-in partner; `partnerId` may only name it. */
export class MyAdRequest extends CreateAdRequest {
  @ApiPropertyOptional({ description: "The signed-in partner's own id; another partner's is 403" })
  @IsOptional()
  @IsString()
  @Matches(PARTNER_ID, { message: 'must be an id (1..128 characters of A-Za-z0-9._:-)' })
  partnerId?: string;
}

/** A partner filter naming someone else is refused rather than silently replaced. */
function onlyMine<T extends { partnerId?: string | undefined }>(request: T, partnerId: string): T {
  if (request.partnerId !== undefined && request.partnerId !== partnerId) {
    throw new ProblemError(403, 'A partner may only see its own data');
  }
  return Object.assign(request, { partnerId });
}

@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(OnlyMyPartnerId)
export class MeController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly database: Database,
    private readonly writeModel: WriteModelQueries,
    @InjectConfig() private readonly config: AppConfig,
    private readonly pdfs: LedgerPdfService,
  ) {}

  /** The partner, with its recruiting link and the settings the Partner Center shows amounts in. */
  @ApiOperation({ summary: 'The signed-in partner' })
  @ApiOkResponse({ type: MeProfileResponse })
  @Roles('partner')
  @Get()
  async profile(@Query() _request: MeRequest, @CurrentCaller() caller?: Caller): Promise<MeProfileResponse> {
    const partner = await this.queries.execute(new GetPartnerQuery(me(caller)));
    const settings = await this.writeModel.settings();
    return {
      ...partner,
      recruitingUrl: recruitingUrl(this.config.publicBaseUrl, partner.code),
      currency: settings.currency,
      timezone: settings.timezone,
    };
  }

  @ApiOperation({ summary: 'My links with my tracking URLs' })
  @ApiOkResponse({ type: [PartnerLinkResponse] })
  @Roles('partner')
  @Get('links')
  async links(
    @Query() _request: MeRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<PartnerLinkResponse[]> {
    return this.queries.execute(new ListPartnerLinksQuery(me(caller)));
  }

  @ApiOperation({ summary: 'My ads' })
  @ApiOkResponse({ type: [AdResponse] })
  @Roles('partner')
  @Get('ads')
  async ads(@Query() _request: MeRequest, @CurrentCaller() caller?: Caller): Promise<AdResponse[]> {
    return this.queries.execute(new ListPartnerAdsQuery(me(caller)));
  }

  @ApiOperation({ summary: 'Create an ad on a link' })
  @ApiCreatedResponse({ type: AdWrittenResponse })
  @ApiProblems({ 409: 'The id is reused with other content', 422: 'Unknown link' })
  @Roles('partner')
  @Post('ads')
  async createAd(@Body() body: MyAdRequest, @CurrentCaller() caller?: Caller): Promise<AdWrittenResponse> {
    const { ad, position } = await this.commands.execute(
      new CreateAdCommand(adFromRequest(me(caller), body), caller),
    );
    return { ...ad, position };
  }

  @ApiOperation({ summary: 'My link stats', description: 'A `partnerId` naming another partner is 403.' })
  @ApiOkResponse({ type: LinkStatsResponse })
  @Roles('partner')
  @Get('link-stats')
  async linkStats(
    @Query() request: LinkStatsRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<LinkStatsResponse> {
    return this.queries.execute(new LinkStatsQuery(onlyMine(request, me(caller))));
  }

  @ApiOperation({ summary: 'My products sold', description: 'A `partnerId` naming another partner is 403.' })
  @ApiOkResponse({ type: ProductsSoldResponse })
  @Roles('partner')
  @Get('products-sold')
  async productsSold(
    @Query() request: ReportRangeRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<ProductsSoldResponse> {
    return this.queries.execute(new ProductsSoldQuery(onlyMine(request, me(caller))));
  }

  /** The partner's ledger; `format=pdf` for the printable ledger of the same range. */
  @ApiOperation({ summary: 'My ledger entries' })
  @ApiOkResponse({ type: PartnerLedgerResponse })
  @Roles('partner')
  @Get('ledger')
  @ApiProduces('application/json', 'application/pdf')
  async ledger(
    @Query() request: MyLedgerRequest,
    @Res({ passthrough: true }) response: Response,
    @CurrentCaller() caller?: Caller,
  ): Promise<StreamableFile | PartnerLedgerResponse> {
    const partnerId = me(caller);
    const { format, partnerId: _mine, ...window } = request;
    if (format === 'pdf') {
      const pdf = await this.pdfs.partnerLedger(partnerId, window);
      return new StreamableFile(sendPdf(response, pdf, `ledger-${window.from}-${window.to}.pdf`));
    }
    return this.queries.execute(new PartnerLedgerQuery(partnerId, window));
  }

  /** Every commission of the partner (optionally earned within local days), with its explanation. */
  @ApiOperation({
    summary: 'My commissions with their explanations',
    description: 'Optionally only those earned within local days.',
  })
  @ApiOkResponse({ type: MyCommissionsResponse })
  @Roles('partner')
  @Get('commissions')
  async commissions(
    @Query() request: MyCommissionsRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<MyCommissionsResponse> {
    const partnerId = me(caller);
    const settings = await this.writeModel.settings();
    const [from, to] =
      request.from || request.to
        ? dayRangeToInstants(request.from ?? FIRST_DAY, request.to ?? LAST_DAY, settings.timezone).map(
            sqlInstant,
          )
        : [null, null];
    const { rows } = await this.database.query<{ earned: CommissionEarnedData; clawed_back_minor: string }>(
      `SELECT earned, clawed_back_minor FROM commissions
        WHERE partner_id = $1 AND ($2::timestamptz IS NULL OR earned_at >= $2) AND ($3::timestamptz IS NULL OR earned_at < $3)
        ORDER BY earned_at, commission_id`,
      [partnerId, from, to],
    );
    return {
      partnerId,
      currency: settings.currency,
      commissions: rows.map((r) => commissionView(r.earned, Number(r.clawed_back_minor))),
    };
  }
}
