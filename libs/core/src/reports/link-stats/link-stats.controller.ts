import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { LinkStatsQuery } from './link-stats.query';
import { LinkStatsRequest } from './link-stats.request';
import { LinkStatsResponse } from './link-stats.responses';

@ApiTags('Reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class LinkStatsController {
  constructor(private readonly queries: QueryBus) {}

  /** Clicks, unique visitors, opt-ins and purchase attempts (declined included) per partner and link. */
  @ApiOperation({
    summary: 'Link tracking stats',
    description:
      'Clicks, unique visitors, opt-ins and purchase attempts (declined included) per partner and link (and ad, and day).',
  })
  @ApiOkResponse({ type: LinkStatsResponse })
  @Roles('auditor')
  @Get('link-stats')
  async linkStats(@Query() request: LinkStatsRequest): Promise<LinkStatsResponse> {
    return this.queries.execute(new LinkStatsQuery(request));
  }
}
