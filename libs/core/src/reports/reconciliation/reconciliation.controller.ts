import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ReportRangeRequest } from '../shared/report-range.request';
import { ReconciliationQuery } from './reconciliation.query';
import { ReconciliationResponse } from './reconciliation.responses';

@ApiTags('Reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class ReconciliationController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * Why activity and the ledger differ: per partner and product, the attempts by outcome next to the
   * commission earned and clawed back on them (both on the attempt's day).
   */
  @ApiOperation({
    summary: 'Reconciliation of activity and the ledger',
    description:
      'Per partner and product: attempts by outcome next to the commission earned and clawed back on them.',
  })
  @ApiOkResponse({ type: ReconciliationResponse })
  @Roles('auditor')
  @Get('reconciliation')
  async reconciliation(@Query() request: ReportRangeRequest): Promise<ReconciliationResponse> {
    return this.queries.execute(new ReconciliationQuery(request));
  }
}
