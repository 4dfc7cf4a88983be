import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { AdResponse } from '../../configuration/configuration.responses';
import type { AdView } from '../../configuration/configuration.views';
import { ListPartnerAdsQuery } from '../../configuration/queries/configuration.queries';
import { MeRequest, OnlyMyPartnerId, me } from '../signed-in-partner';

/** The signed-in partner's ads (the admin's read of the partner's ads). */
@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(OnlyMyPartnerId)
export class MyAdsController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({ operationId: 'Me_ads', summary: 'My ads' })
  @ApiOkResponse({ type: [AdResponse] })
  @Roles('partner')
  @Get('ads')
  async ads(@Query() _request: MeRequest, @CurrentCaller() caller?: Caller): Promise<AdView[]> {
    return this.queries.execute(new ListPartnerAdsQuery(me(caller)));
  }
}
