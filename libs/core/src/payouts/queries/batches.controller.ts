import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { LedgerPdfService, sendPdf } from '../../reports/ledger/ledger-pdf.service';
import type { Request, Response } from 'express';
import type { PayoutBatchCreatedData } from '@app/domain';
import { EVENT_STORE, type EventStore, comparePositions, parsePosition } from '@app/event-store';
import { Database, notFound, unavailable } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { actorOf, type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { csvDocument } from '../../reports/shared/csv';
import { IsLogPosition } from '../../reports/shared/report-range.request';
import { WAIT_FOR_TIMEOUT_MS } from '../../reports/shared/report-window';
import { CreateBatchHandler } from '../create-batch/create-batch.handler';
import { CreateBatchRequest } from '../create-batch/create-batch.request';
import { IsDay } from '../../validation/calendar.validation';
import { PayoutDueQuery } from './payout-due.query';
import {
  BatchCreatedResponse,
  BatchListItemResponse,
  BatchResponse,
  DueResponse,
} from '../payouts.responses';
import { ApiJsonOrCsvResponse, ApiProblems } from '../../openapi/api-docs';

export class DueRequest {
  @IsDay()
  payDate!: string;

  @ApiPropertyOptional({
    example: '812-4711',
    description: 'A position answered by a write: the schedule answers once the ledger includes it',
  })
  @IsOptional()
  @IsLogPosition()
  waitFor?: string;
}

export class BatchFormatRequest {
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

function batchView(batch: PayoutBatchCreatedData) {
  return {
    batchId: batch.batchId,
    method: batch.method,
    from: batch.from,
    to: batch.to,
    payDate: batch.payDate,
    cutoff: batch.cutoff,
    paidAt: batch.paidAt,
    paymentType: batch.paymentType,
    minimumAmount: batch.minimumAmountMinor,
    currency: batch.currency,
    payments: batch.payments.map((p) => ({
      partnerId: p.partnerId,
      amount: p.amountMinor,
      paymentId: p.paymentId,
    })),
    skipped: batch.skipped.map((s) => ({ partnerId: s.partnerId, amount: s.amountMinor, reason: s.reason })),
    total: batch.totalMinor,
  };
}

const BATCH_CSV_COLUMNS = [
  'batchId',
  'partnerId',
  'paymentId',
  'amount',
  'currency',
  'paymentType',
  'paidAt',
  'status',
  'reason',
];

/** Text cells that a spreadsheet would run as a formula are neutralised; amounts stay numbers (csv.ts). */
function batchCsv(batch: PayoutBatchCreatedData): string {
  const common = [batch.currency, batch.paymentType, batch.paidAt] as const;
  return csvDocument(BATCH_CSV_COLUMNS, [
    ...batch.payments.map((p) => [
      batch.batchId,
      p.partnerId,
      p.paymentId,
      p.amountMinor,
      ...common,
      'paid',
      '',
    ]),
    ...batch.skipped.map((s) => [
      batch.batchId,
      s.partnerId,
      '',
      s.amountMinor,
      ...common,
      'skipped',
      s.reason,
    ]),
  ]);
}

@ApiTags('Payouts')
@ApiBearerAuth()
@Controller('v1/payouts')
export class BatchesController {
  constructor(
    private readonly database: Database,
    private readonly batches: CreateBatchHandler,
    private readonly dueQuery: PayoutDueQuery,
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly pdfs: LedgerPdfService,
  ) {}

  @ApiOperation({
    summary: 'Pay partners in a batch',
    description:
      'One payment per partner from the ledger report of a range (`earned-in-range`, `beginning-plus-earned`, `ending-balance`: `from`, `to`) or from the schedule (`due`: `payDate`). Zero, negative and below-minimum amounts are skipped with the reason.',
  })
  @ApiCreatedResponse({ type: BatchCreatedResponse })
  @ApiProblems({
    409: 'The batch id was already used (`batch-id-used`)',
    422: 'Against a domain rule (e.g. an amount out of range)',
  })
  @Roles()
  @Post('batches')
  async create(
    @Body() body: CreateBatchRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<BatchCreatedResponse> {
    const { position, ...batch } = await this.batches.create(body, { actor: actorOf(caller) });
    return { ...batchView(batch), position };
  }

  @ApiOperation({ summary: 'List the payout batches' })
  @ApiOkResponse({ type: [BatchListItemResponse] })
  @Roles('auditor')
  @Get('batches')
  async list(): Promise<BatchListItemResponse[]> {
    const { rows } = await this.database.query<{ batch: PayoutBatchCreatedData }>(
      'SELECT batch FROM payout_batches ORDER BY paid_at, batch_id',
    );
    return rows.map((r) => {
      const { payments: _payments, skipped: _skipped, ...summary } = batchView(r.batch);
      return { ...summary, paymentCount: r.batch.payments.length, skippedCount: r.batch.skipped.length };
    });
  }

  @ApiOperation({
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
  ): Promise<string | BatchResponse> {
    const { rows } = await this.database.query<{ batch: PayoutBatchCreatedData }>(
      'SELECT batch FROM payout_batches WHERE batch_id = $1',
      [batchId],
    );
    const batch = rows[0]?.batch;
    if (!batch) throw notFound(`No batch ${batchId}`);
    if (
      query.format === 'csv' ||
      (query.format === undefined && request.headers.accept?.includes('text/csv'))
    ) {
      response.type('text/csv').setHeader('Content-Disposition', `attachment; filename="${batchId}.csv"`);
      return batchCsv(batch);
    }
    return batchView(batch);
  }

  /** One page (or more) per paid partner: the partner's ledger over the batch's period, with the payment. */
  @Roles('auditor')
  @Get('batches/:batchId/ledgers.pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'Printable ledgers of a batch (PDF, a page per paid partner)' })
  @ApiOkResponse({
    description: 'The PDF',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems({ 404: 'No such batch' })
  async ledgers(
    @Param('batchId') batchId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { rows } = await this.database.query<{ batch: PayoutBatchCreatedData }>(
      'SELECT batch FROM payout_batches WHERE batch_id = $1',
      [batchId],
    );
    const batch = rows[0]?.batch;
    if (!batch) throw notFound(`No batch ${batchId}`);
    // The pages must show the batch's payments: the ledger includes every event acknowledged so far.
    if (!(await this.runner.waitFor(await this.store.committedHead(), 5_000, ['ledger']))) {
      throw unavailable('The ledger is catching up with recent events; retry shortly', 1);
    }
    const pdf = await this.pdfs.batchLedgers(batch);
    return new StreamableFile(sendPdf(response, pdf, `ledgers-${batchId}.pdf`));
  }

  /** The payout schedule: who is due what on a pay date (cutoffDay of the previous month, minimumBalance). */
  @ApiOperation({
    summary: 'Who is due what on a pay date',
    description:
      'The payout schedule: commission entries up to the cutoff (cutoffDay of the previous month) minus every payment so far; eligible from minimumBalance.',
  })
  @ApiOkResponse({ type: DueResponse })
  @Roles('auditor')
  @Get('due')
  async due(@Query() query: DueRequest): Promise<DueResponse> {
    // Like a batch, the schedule includes every event acknowledged before the request; `waitFor` is
    // accepted as on every report (a position answered by a write is acknowledged, so it is included
    // too) and waited for all the same: 503 with Retry-After after 5 s.
    const head = await this.store.committedHead();
    const waitFor = query.waitFor === undefined ? null : parsePosition(query.waitFor);
    const target = waitFor && comparePositions(waitFor, head) > 0 ? waitFor : head;
    if (!(await this.runner.waitFor(target, WAIT_FOR_TIMEOUT_MS, ['ledger']))) {
      throw unavailable('The ledger is catching up with recent events; retry shortly', 1);
    }
    return this.dueQuery.due(query.payDate);
  }
}
