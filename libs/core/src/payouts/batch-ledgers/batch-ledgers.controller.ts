import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { sendPdf } from '../../reports/ledger/ledger-pdf.service';
import { BatchLedgersQuery } from './batch-ledgers.query';

@ApiTags('Payouts')
@ApiBearerAuth()
@Controller('v1/payouts')
export class BatchLedgersController {
  constructor(private readonly queries: QueryBus) {}

  /** One page (or more) per paid partner: the partner's ledger over the batch's period, with the payment. */
  @Roles('auditor')
  @Get('batches/:batchId/ledgers.pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({
    operationId: 'Batches_ledgers',
    summary: 'Printable ledgers of a batch (PDF, a page per paid partner)',
  })
  @ApiOkResponse({
    description: 'The PDF',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems({ 404: 'No such batch' })
  async ledgers(
    @Param('batchId') batchId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const pdf = await this.queries.execute(new BatchLedgersQuery(batchId));
    return new StreamableFile(sendPdf(response, pdf, `ledgers-${batchId}.pdf`));
  }
}
