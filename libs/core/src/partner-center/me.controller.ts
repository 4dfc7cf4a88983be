/**
 * The Partner Center: a signed-in partner's own profile, links, ads, stats, ledger and commissions.
 * Every answer is limited to the partner in the token; asking for another partner's data is refused.
 */
import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Injectable,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiPropertyOptional,
  ApiTags,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { CommissionEarnedData } from '@app/domain';
import { FIRST_DAY, LAST_DAY, dayRangeToInstants } from '@app/domain';
import { Database, ProblemError } from '@app/platform';
import type { AuthenticatedRequest, Caller } from '../auth/caller';
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
import { ReportRangeRequest } from '../reports/shared/report-range.request';
import { sqlInstant } from '../reports/shared/report-window';
import { WriteModelQueries } from '../write-model/write-model.queries';
import { IsDay } from '../validation/calendar.validation';
import {
  AdResponse,
  AdWrittenResponse,
  PartnerLinkResponse,
  PartnerResponse,
} from '../configuration/configuration.responses';
import { LinkStatsResponse } from '../reports/link-stats/link-stats.responses';
import { ProductsSoldResponse } from '../reports/products-sold/products-sold.responses';
import { PartnerLedgerResponse } from '../reports/ledger/ledger.responses';
import { MyCommissionsResponse } from './partner-center.responses';
import { ApiProblems } from '../openapi/api-docs';

const PARTNER_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Every /v1/me route accepts `partnerId`, as long as it names the signed-in partner (else 403). */
export class MeRequest {
  @ApiPropertyOptional({ description: "The signed-in partner's own id; another partner's is 403" })
  @IsOptional()
  @IsString()
  @Matches(PARTNER_ID, { message: 'must be an id (1..128 characters of A-Za-z0-9._:-)' })
  partnerId?: string;
}

export class MyCommissionsRequest extends MeRequest {
  @IsOptional()
  @IsDay()
  from?: string;

  @IsOptional()
  @IsDay()
  to?: string;
}

/** An ad of the signed-in partner; `partnerId` may only name it. */
export class MyAdRequest extends CreateAdRequest {
  @ApiPropertyOptional({ description: "The signed-in partner's own id; another partner's is 403" })
  @IsOptional()
  @IsString()
  @Matches(PARTNER_ID, { message: 'must be an id (1..128 characters of A-Za-z0-9._:-)' })
  partnerId?: string;
}

/** The partner behind the token; anyone else (an admin key included) has no "me". */
function me(caller: Caller | undefined): string {
  if (caller?.role !== 'partner' || !caller.partnerId) {
    throw new ProblemError(403, 'Only a signed-in partner has a Partner Center');
  }
  return caller.partnerId;
}

/**
 * A `partnerId` naming someone else, in the query or the body of any /v1/me route, is 403: refused
 * rather than silently replaced. Runs before validation, so the answer is the same on every route.
 */
@Injectable()
export class OnlyMyPartnerId implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const partnerId = me(request.caller);
    const body: unknown = request.body;
    const named = [
      (request.query as Record<string, unknown>)['partnerId'],
      body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['partnerId'] : undefined,
    ].flat();
    if (named.some((value) => value !== undefined && value !== partnerId)) {
      throw new ProblemError(403, 'A partner may only see its own data');
    }
    return true;
  }
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
  ) {}

  @ApiOperation({ summary: 'The signed-in partner' })
  @ApiOkResponse({ type: PartnerResponse })
  @Roles('partner')
  @Get()
  async profile(@Query() _request: MeRequest, @CurrentCaller() caller?: Caller) {
    return this.queries.execute(new GetPartnerQuery(me(caller)));
  }

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

  @ApiOperation({ summary: 'My ledger entries' })
  @ApiOkResponse({ type: PartnerLedgerResponse })
  @Roles('partner')
  @Get('ledger')
  async ledger(@Query() request: ReportRangeRequest, @CurrentCaller() caller?: Caller) {
    const partnerId = me(caller);
    return this.queries.execute(new PartnerLedgerQuery(partnerId, onlyMine(request, partnerId)));
  }

  /** Every commission of the partner (optionally earned within local days), with its explanation. */
  @ApiOperation({
    summary: 'My commissions with their explanations',
    description: 'Optionally only those earned within local days.',
  })
  @ApiOkResponse({ type: MyCommissionsResponse })
  @Roles('partner')
  @Get('commissions')
  async commissions(@Query() request: MyCommissionsRequest, @CurrentCaller() caller?: Caller) {
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
