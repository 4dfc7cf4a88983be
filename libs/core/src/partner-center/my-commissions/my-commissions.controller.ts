import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { MyCommissionsResponse } from '../partner-center.responses';
import { OnlyMyPartnerId, me } from '../signed-in-partner';
import { type MyCommissions, MyCommissionsQuery } from './my-commissions.query';
import { MyCommissionsRequest } from './my-commissions.request';

@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(OnlyMyPartnerId)
export class MyCommissionsController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({
    operationId: 'Me_commissions',
    summary: 'My commissions with their explanations',
    description: 'Optionally only those earned within local days.',
  })
  @ApiOkResponse({ type: MyCommissionsResponse })
  @Roles('partner')
  @Get('commissions')
  async commissions(
    @Query() request: MyCommissionsRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<MyCommissions> {
    return this.queries.execute(new MyCommissionsQuery(me(caller), request.from, request.to));
  }
}
