import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { type LinkStatsReport, LinkStatsQuery } from '../../reports/link-stats/link-stats.query';
import { LinkStatsRequest } from '../../reports/link-stats/link-stats.request';
import { LinkStatsResponse } from '../../reports/link-stats/link-stats.responses';
import { OnlyMyPartnerId, me, onlyMine } from '../signed-in-partner';

/** The link-stats report, limited to the signed-in partner. */
@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(OnlyMyPartnerId)
export class MyLinkStatsController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({
    operationId: 'Me_linkStats',
    summary: 'My link stats',
    description: 'A `partnerId` naming another partner is 403.',
  })
  @ApiOkResponse({ type: LinkStatsResponse })
  @Roles('partner')
  @Get('link-stats')
  async linkStats(
    @Query() request: LinkStatsRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<LinkStatsReport> {
    return this.queries.execute(new LinkStatsQuery(onlyMine(request, me(caller))));
  }
}
