import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../../auth/roles.decorator';
import { PartnerLedgerRequest } from '../shared/report-range.request';
import { LedgerPdfService, sendPdf } from './ledger-pdf.service';
import { ledgerCsv } from './ledger.csv';
import { type LedgerReport, LedgerReportQuery, PartnerLedgerQuery } from './ledger.query';
import { LedgerReportRequest } from './ledger.request';

@ApiTags('Reports')
@ApiBearerAuth()
@Controller('v1')
export class LedgerController {
  constructor(
    private readonly queries: QueryBus,
    private readonly pdfs: LedgerPdfService,
  ) {}

  /** Per partner: beginning balance, commissions, clawbacks, adjustments, payments, ending balance. */
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
  @Roles('auditor')
  @Get('partners/:id/ledger')
  @ApiProduces('application/json', 'application/pdf')
  async partnerLedger(
    @Param('id') partnerId: string,
    @Query() request: PartnerLedgerRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { format, ...window } = request;
    if (format === 'pdf') {
      const pdf = await this.pdfs.partnerLedger(partnerId, window);
      return new StreamableFile(
        sendPdf(response, pdf, `ledger-${partnerId}-${window.from}-${window.to}.pdf`),
      );
    }
    return this.queries.execute(new PartnerLedgerQuery(partnerId, window));
  }
}
