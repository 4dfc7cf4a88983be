import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { PartnerLinkResponse } from '../../configuration/configuration.responses';
import type { PartnerLinkView } from '../../configuration/configuration.views';
import { ListPartnerLinksQuery } from '../../configuration/queries/configuration.queries';
import { MeRequest, OnlyMyPartnerId, me } from '../signed-in-partner';

/** Every link with the signed-in partner's tracking URL (the admin's read of the partner's links). */
@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(OnlyMyPartnerId)
export class MyLinksController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({ operationId: 'Me_links', summary: 'My links with my tracking URLs' })
  @ApiOkResponse({ type: [PartnerLinkResponse] })
  @Roles('partner')
  @Get('links')
  async links(@Query() _request: MeRequest, @CurrentCaller() caller?: Caller): Promise<PartnerLinkView[]> {
    return this.queries.execute(new ListPartnerLinksQuery(me(caller)));
  }
}
