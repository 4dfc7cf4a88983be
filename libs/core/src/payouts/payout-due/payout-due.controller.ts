import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { DueResponse } from '../payouts.responses';
import { PayoutDueQuery } from './payout-due.query';
import { DueRequest } from './payout-due.request';
import type { DueReport } from './payout-schedule';

@ApiTags('Payouts')
@ApiBearerAuth()
@Controller('v1/payouts')
export class PayoutDueController {
  constructor(private readonly queries: QueryBus) {}

  /** The payout schedule: who is due what on a pay date (cutoffDay of the previous month, minimumBalance). */
  @ApiOperation({
    operationId: 'Batches_due',
    summary: 'Who is due what on a pay date',
    description:
      'The payout schedule: commission entries up to the cutoff (cutoffDay of the previous month) minus every payment so far; eligible from minimumBalance.',
  })
  @ApiOkResponse({ type: DueResponse })
  @Roles('auditor')
  @Get('due')
  async due(@Query() query: DueRequest): Promise<DueReport> {
    return this.queries.execute(new PayoutDueQuery(query.payDate, query.waitFor));
  }
}
