/** Builds ledger PDFs from the partner ledger query, so their numbers are those of the JSON. */
import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { type PayoutBatchCreatedData, localDayOf } from '@app/domain';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import type { ReportWindowRequest } from '../shared/report-range.request';
import { formatMoney } from '@app/domain';
import { type LedgerPdfPage, ledgerPdf } from './ledger.pdf';
import { type PartnerLedger, PartnerLedgerQuery } from './ledger.query';

@Injectable()
export class LedgerPdfService {
  constructor(
    private readonly queries: QueryBus,
    private readonly writeModel: WriteModelQueries,
  ) {}

  private async page(partnerId: string, window: ReportWindowRequest, note?: string): Promise<LedgerPdfPage> {
    const ledger = await this.queries.execute<PartnerLedgerQuery, PartnerLedger>(
      new PartnerLedgerQuery(partnerId, window),
    );
    const [partner, settings] = await Promise.all([
      this.writeModel.partner(partnerId),
      this.writeModel.settings(),
    ]);
    return {
      ledger,
      partnerName: partner?.name ?? partnerId,
      timezone: settings.timezone,
      ...(note ? { note } : {}),
    };
  }

  async partnerLedger(partnerId: string, window: ReportWindowRequest): Promise<Buffer> {
    const page = await this.page(partnerId, window);
    return ledgerPdf([page], `Ledger ${page.ledger.partnerCode} ${window.from} to ${window.to}`);
  }

  /**
   * The period a batch's ledger pages show: report methods their `from`..`to`, the `due` method the
   * month of its cutoff; both extended to the day of the payment, so that the payment is on the page.
   */
  static batchWindow(batch: PayoutBatchCreatedData, timezone: string): { from: string; to: string } {
    const paidDay = localDayOf(batch.paidAt, timezone);
    const from = batch.from ?? `${localDayOf(batch.cutoff ?? batch.paidAt, timezone).slice(0, 7)}-01`;
    const to = batch.to !== null && batch.to > paidDay ? batch.to : paidDay;
    return { from: from <= to ? from : to, to };
  }

  async batchLedgers(batch: PayoutBatchCreatedData): Promise<Buffer> {
    const settings = await this.writeModel.settings();
    const window = LedgerPdfService.batchWindow(batch, settings.timezone);
    const pages: LedgerPdfPage[] = [];
    for (const payment of batch.payments) {
      pages.push(
        await this.page(
          payment.partnerId,
          window,
          `Payment batch ${batch.batchId}: paid ${formatMoney(payment.amountMinor, batch.currency)} by ${batch.paymentType} on ${localDayOf(batch.paidAt, settings.timezone)}`,
        ),
      );
    }
    return ledgerPdf(pages, `Ledgers of batch ${batch.batchId}`);
  }
}

export function sendPdf(response: Response, pdf: Buffer, fileName: string): Buffer {
  response.type('application/pdf');
  response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  response.setHeader('Cache-Control', 'no-store');
  return pdf;
}
