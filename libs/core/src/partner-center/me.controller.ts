/**
 * The Partner Center: a signed-in partner's own profile, links, ads, stats, ledger and commissions.
 * Every answer is limited to the partner in the token; asking for another partner's data is refused.
 */
import { Body, Controller, Get, Post, Query, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { CommissionEarnedData } from '@app/domain';
import { dayRangeToInstants } from '@app/domain';
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
import { LedgerPdfService, sendPdf } from '../reports/ledger/ledger-pdf.service';
import { WriteModelQueries } from '../write-model/write-model.queries';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class MyCommissionsRequest {
  @IsOptional()
  @Matches(DAY, { message: 'must be a day, YYYY-MM-DD' })
  from?: string;

  @IsOptional()
  @Matches(DAY, { message: 'must be a day, YYYY-MM-DD' })
  to?: string;
}

/** The partner behind the token; anyone else (an admin key included) has no "me". */
function me(caller: Caller | undefined): string {
  if (caller?.role !== 'partner' || !caller.partnerId) {
    throw new ProblemError(403, 'Only a signed-in partner has a Partner Center');
  }
  return caller.partnerId;
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
  @Roles('partner')
  @Get()
  async profile(@CurrentCaller() caller?: Caller) {
    const partner = await this.queries.execute(new GetPartnerQuery(me(caller)));
    const settings = await this.writeModel.settings();
    return {
      ...partner,
      recruitingUrl: recruitingUrl(this.config.publicBaseUrl, partner.code),
      currency: settings.currency,
      timezone: settings.timezone,
    };
  }

  @Roles('partner')
  @Get('links')
  async links(@CurrentCaller() caller?: Caller) {
    return this.queries.execute(new ListPartnerLinksQuery(me(caller)));
  }

  @Roles('partner')
  @Get('ads')
  async ads(@CurrentCaller() caller?: Caller) {
    return this.queries.execute(new ListPartnerAdsQuery(me(caller)));
  }

  @Roles('partner')
  @Post('ads')
  async createAd(@Body() body: CreateAdRequest, @CurrentCaller() caller?: Caller) {
    const { ad, position } = await this.commands.execute(
      new CreateAdCommand(adFromRequest(me(caller), body), caller),
    );
    return { ...ad, position };
  }

  @Roles('partner')
  @Get('link-stats')
  async linkStats(@Query() request: LinkStatsRequest, @CurrentCaller() caller?: Caller) {
    return this.queries.execute(new LinkStatsQuery(onlyMine(request, me(caller))));
  }

  @Roles('partner')
  @Get('products-sold')
  async productsSold(@Query() request: ReportRangeRequest, @CurrentCaller() caller?: Caller) {
    return this.queries.execute(new ProductsSoldQuery(onlyMine(request, me(caller))));
  }

  /** The partner's ledger; `format=pdf` for the printable ledger of the same range. */
  @Roles('partner')
  @Get('ledger')
  @ApiProduces('application/json', 'application/pdf')
  async ledger(
    @Query() request: PartnerLedgerRequest,
    @Res({ passthrough: true }) response: Response,
    @CurrentCaller() caller?: Caller,
  ) {
    const partnerId = me(caller);
    const { format, ...window } = request;
    if (format === 'pdf') {
      const pdf = await this.pdfs.partnerLedger(partnerId, window);
      return new StreamableFile(sendPdf(response, pdf, `ledger-${window.from}-${window.to}.pdf`));
    }
    return this.queries.execute(new PartnerLedgerQuery(partnerId, window));
  }

  /** Every commission of the partner (optionally earned within local days), with its explanation. */
  @Roles('partner')
  @Get('commissions')
  async commissions(@Query() request: MyCommissionsRequest, @CurrentCaller() caller?: Caller) {
    const partnerId = me(caller);
    const settings = await this.writeModel.settings();
    const [from, to] =
      request.from || request.to
        ? dayRangeToInstants(request.from ?? '1970-01-01', request.to ?? '9999-12-31', settings.timezone)
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
