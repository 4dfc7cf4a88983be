import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../../auth/roles.decorator';
import { PartnerLedgerRequest } from '../shared/report-range.request';
import { PartnerLedgerPdfQuery } from './ledger-pdf.query';
import { sendPdf } from './ledger-pdf.service';
import { LEDGER_CSV_COLUMNS, ledgerCsv } from './ledger.csv';
import { type LedgerReport, LedgerReportQuery, PartnerLedgerQuery } from './ledger.query';
import { LedgerReportRequest } from './ledger.request';
import { LedgerReportResponse, PartnerLedgerResponse } from './ledger.responses';
import { ApiJsonOrCsvResponse, ApiProblems } from '../../openapi/api-docs';

@ApiTags('Reports')
@ApiBearerAuth()
@Controller('v1')
export class LedgerController {
  constructor(private readonly queries: QueryBus) {}

  /** Per partner: beginning balance, commissions, clawbacks, adjustments, payments, ending balance. */
  @ApiOperation({
    summary: 'Ledger report',
    description:
      'Per partner: beginning balance, commissions, clawbacks, adjustments, payments, ending balance. `format=csv` or `Accept: text/csv` answers the same rows as CSV.',
  })
  @ApiJsonOrCsvResponse(LedgerReportResponse, 'The rows as JSON or CSV', LEDGER_CSV_COLUMNS.join(','))
  @Roles('auditor')
  @Get('reports/ledger')
  @ApiProduces('application/json', 'text/csv')
  async report(
    @Query() request: LedgerReportRequest,
    @Req() http: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LedgerReport | string> {
    const report = await this.queries.execute(new LedgerReportQuery(request));
    const csv =
      request.format === 'csv' ||
      (!request.format && http.accepts(['application/json', 'text/csv']) === 'text/csv');
    if (!csv) return report;
    response.type('text/csv; charset=utf-8');
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="ledger-${report.from}-${report.to}.csv"`,
    );
    return ledgerCsv(report.rows);
  }

  /**
   * One partner's entries in the range, each with the balance after it; 404 for an unknown partner.
   * `format=pdf`: the printable ledger (application/pdf) with the same numbers.
   */
  @ApiOperation({
    summary: "A partner's ledger entries",
    description: 'Every entry in the range with the balance after it; `format=pdf` for the printable ledger.',
  })
  @ApiOkResponse({ type: PartnerLedgerResponse })
  @ApiProblems({ 404: 'No such partner' })
  @Roles('auditor')
  @Get('partners/:id/ledger')
  @ApiProduces('application/json', 'application/pdf')
  async partnerLedger(
    @Param('id') partnerId: string,
    @Query() request: PartnerLedgerRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PartnerLedgerResponse | StreamableFile> {
    const { format, ...window } = request;
    if (format === 'pdf') {
      const pdf = await this.queries.execute(new PartnerLedgerPdfQuery(partnerId, window));
      return new StreamableFile(
        sendPdf(response, pdf, `ledger-${partnerId}-${window.from}-${window.to}.pdf`),
      );
    }
    return this.queries.execute(new PartnerLedgerQuery(partnerId, window));
  }
}
