import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { BatchListItemResponse } from '../payouts.responses';
import { type BatchSummary, ListBatchesQuery } from './list-batches.query';

@ApiTags('Payouts')
@ApiBearerAuth()
@Controller('v1/payouts')
export class ListBatchesController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({ operationId: 'Batches_list', summary: 'List the payout batches' })
  @ApiOkResponse({ type: [BatchListItemResponse] })
  @Roles('auditor')
  @Get('batches')
  async list(): Promise<BatchSummary[]> {
    return this.queries.execute(new ListBatchesQuery());
  }
}
