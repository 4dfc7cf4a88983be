import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ReportRangeRequest } from '../shared/report-range.request';
import { ReconciliationQuery } from './reconciliation.query';

@ApiTags('Reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class ReconciliationController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * Why activity and the ledger differ: per partner and product, the attempts by outcome next to the
   * commission earned and clawed back on them (both on the attempt's day).
   */
  @Roles('auditor')
  @Get('reconciliation')
  async reconciliation(@Query() request: ReportRangeRequest) {
    return this.queries.execute(new ReconciliationQuery(request));
  }
}
