import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import {
  GetPartnerQuery,
  ListPartnerAdsQuery,
  ListPartnerLinksQuery,
  ListPartnersQuery,
} from './configuration.queries';
import { AdResponse, PartnerLinkResponse, PartnerResponse } from '../configuration.responses';
import { ApiProblems } from '../../openapi/api-docs';

@ApiTags('Partners')
@ApiBearerAuth()
@Controller('v1/partners')
export class ReadPartnersController {
  constructor(private readonly queries: QueryBus) {}

  /** Every partner, by id (never a password or its hash; `hasPassword` says whether one is set). */
  @ApiOperation({ summary: 'List the partners' })
  @ApiOkResponse({ type: [PartnerResponse] })
  @Roles('auditor')
  @Get()
  async list(): Promise<PartnerResponse[]> {
    return this.queries.execute(new ListPartnersQuery());
  }

  @ApiOperation({ summary: 'Read a partner' })
  @ApiOkResponse({ type: PartnerResponse })
  @ApiProblems({ 404: 'No such partner' })
  @Roles('auditor')
  @Get(':id')
  async get(@Param('id') id: string): Promise<PartnerResponse> {
    return this.queries.execute(new GetPartnerQuery(id));
  }

  /** Every link with this partner's tracking URL, and the partner's ads on it (`?ad=` URLs). */
  @ApiOperation({ summary: "List every link with the partner's tracking URLs" })
  @ApiOkResponse({ type: [PartnerLinkResponse] })
  @ApiProblems({ 404: 'No such partner' })
  @ApiTags('Links and ads')
  @Roles('auditor')
  @Get(':id/links')
  async links(@Param('id') id: string): Promise<PartnerLinkResponse[]> {
    return this.queries.execute(new ListPartnerLinksQuery(id));
  }

  /** The partner's ads, each with its tracking URL. */
  @ApiOperation({ summary: "List the partner's ads" })
  @ApiOkResponse({ type: [AdResponse] })
  @ApiProblems({ 404: 'No such partner' })
  @ApiTags('Links and ads')
  @Roles('auditor')
  @Get(':id/ads')
  async ads(@Param('id') id: string): Promise<AdResponse[]> {
    return this.queries.execute(new ListPartnerAdsQuery(id));
  }
}
