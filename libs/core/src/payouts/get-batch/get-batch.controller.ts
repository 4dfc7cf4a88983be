import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../../auth/roles.decorator';
import { ApiJsonOrCsvResponse, ApiProblems } from '../../openapi/api-docs';
import { BATCH_CSV_COLUMNS, type BatchView, batchCsv, batchView } from '../batch.views';
import { BatchResponse } from '../payouts.responses';
import { GetBatchQuery } from './get-batch.query';
import { BatchFormatRequest } from './get-batch.request';

@ApiTags('Payouts')
@ApiBearerAuth()
@Controller('v1/payouts')
export class GetBatchController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({
    operationId: 'Batches_detail',
    summary: 'Read a payout batch',
    description: '`format=csv` or `Accept: text/csv` answers one CSV line per payment and skip.',
  })
  @ApiJsonOrCsvResponse(BatchResponse, 'The batch as JSON or CSV', BATCH_CSV_COLUMNS.join(','))
  @ApiProblems({ 404: 'No such batch' })
  @Roles('auditor')
  @Get('batches/:batchId')
  async detail(
    @Param('batchId') batchId: string,
    @Query() query: BatchFormatRequest,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BatchView | string> {
    const batch = await this.queries.execute(new GetBatchQuery(batchId));
    if (
      query.format === 'csv' ||
      (query.format === undefined && request.headers.accept?.includes('text/csv'))
    ) {
      response.type('text/csv').setHeader('Content-Disposition', `attachment; filename="${batchId}.csv"`);
      return batchCsv(batch);
    }
    return batchView(batch);
  }
}
