/** The signed-in partner's collateral: each snippet with the partner's own tracking URL filled in. */
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { MeRequest, OnlyMyPartnerId, me } from '../../partner-center/signed-in-partner';
import { PartnerCollateralResponse } from '../collateral.responses';
import type { PartnerCollateralView } from '../collateral.views';
import { MyCollateralQuery } from './my-collateral.query';

@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me/collateral')
@UseGuards(OnlyMyPartnerId)
export class MyCollateralController {
  constructor(private readonly queries: QueryBus) {}

  /** Current banners and email copy; the tracking URL is the collateral's link's, or the first link's. */
  @Roles('partner')
  @Get()
  @ApiOperation({ summary: 'My collateral, with my tracking URL filled in' })
  @ApiOkResponse({ type: [PartnerCollateralResponse] })
  async list(
    @Query() _request: MeRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<PartnerCollateralView[]> {
    return this.queries.execute(new MyCollateralQuery(me(caller)));
  }
}
