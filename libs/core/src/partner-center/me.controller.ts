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
import { ProblemError } from '@app/platform';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/caller';
import { Roles } from '../auth/roles.decorator';
import { CreateAdCommand } from '../configuration/create-ad/create-ad.command';
import { CreateAdRequest, adFromRequest } from '../configuration/create-ad/create-ad.request';
import { ListPartnerAdsQuery, ListPartnerLinksQuery } from '../configuration/queries/configuration.queries';
import { PartnerLedgerQuery } from '../reports/ledger/ledger.query';
import { LinkStatsQuery } from '../reports/link-stats/link-stats.query';
import { LinkStatsRequest } from '../reports/link-stats/link-stats.request';
import { ProductsSoldQuery } from '../reports/products-sold/products-sold.query';
import { PartnerLedgerRequest, ReportRangeRequest } from '../reports/shared/report-range.request';
import { PartnerLedgerPdfQuery } from '../reports/ledger/ledger-pdf.query';
import { sendPdf } from '../reports/ledger/ledger-pdf.service';
import { MeRequest, OnlyMyPartnerId, PARTNER_ID, me } from './signed-in-partner';
import { AdResponse, AdWrittenResponse, PartnerLinkResponse } from '../configuration/configuration.responses';
import { LinkStatsResponse } from '../reports/link-stats/link-stats.responses';
import { ProductsSoldResponse } from '../reports/products-sold/products-sold.responses';
import { PartnerLedgerResponse } from '../reports/ledger/ledger.responses';
import { ApiProblems } from '../openapi/api-docs';

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
  ) {}

  @ApiOperation({ summary: 'My links with my tracking URLs' })
  @ApiOkResponse({ type: [PartnerLinkResponse] })
  @Roles('partner')
  @Get('links')
  async links(@Query() _request: MeRequest, @CurrentCaller() caller?: Caller) {
    return this.queries.execute(new ListPartnerLinksQuery(me(caller)));
  }

  @ApiOperation({ summary: 'My ads' })
  @ApiOkResponse({ type: [AdResponse] })
  @Roles('partner')
  @Get('ads')
  async ads(@Query() _request: MeRequest, @CurrentCaller() caller?: Caller) {
    return this.queries.execute(new ListPartnerAdsQuery(me(caller)));
  }

  @ApiOperation({ summary: 'Create an ad on a link' })
  @ApiCreatedResponse({ type: AdWrittenResponse })
  @ApiProblems({ 409: 'The id is reused with other content', 422: 'Unknown link' })
  @Roles('partner')
  @Post('ads')
  async createAd(@Body() body: MyAdRequest, @CurrentCaller() caller?: Caller) {
    const { ad, position } = await this.commands.execute(
      new CreateAdCommand(adFromRequest(me(caller), body), caller),
    );
    return { ...ad, position };
  }

  @ApiOperation({ summary: 'My link stats', description: 'A `partnerId` naming another partner is 403.' })
  @ApiOkResponse({ type: LinkStatsResponse })
  @Roles('partner')
  @Get('link-stats')
  async linkStats(@Query() request: LinkStatsRequest, @CurrentCaller() caller?: Caller) {
    return this.queries.execute(new LinkStatsQuery(onlyMine(request, me(caller))));
  }

  @ApiOperation({ summary: 'My products sold', description: 'A `partnerId` naming another partner is 403.' })
  @ApiOkResponse({ type: ProductsSoldResponse })
  @Roles('partner')
  @Get('products-sold')
  async productsSold(@Query() request: ReportRangeRequest, @CurrentCaller() caller?: Caller) {
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
  ) {
    const partnerId = me(caller);
    const { format, partnerId: _mine, ...window } = request;
    if (format === 'pdf') {
      const pdf = await this.queries.execute(new PartnerLedgerPdfQuery(partnerId, window));
      return new StreamableFile(sendPdf(response, pdf, `ledger-${window.from}-${window.to}.pdf`));
    }
    return this.queries.execute(new PartnerLedgerQuery(partnerId, window));
  }
}
