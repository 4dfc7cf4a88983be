/** The printable ledger (a PDF) of one partner over a range, with the numbers of the JSON ledger. */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ReportWindowRequest } from '../shared/report-range.request';
import { LedgerPdfService } from './ledger-pdf.service';

export class PartnerLedgerPdfQuery extends Query<Buffer> {
  constructor(
    readonly partnerId: string,
    readonly window: ReportWindowRequest,
  ) {
    super();
  }
}

@QueryHandler(PartnerLedgerPdfQuery)
export class PartnerLedgerPdfHandler implements IQueryHandler<PartnerLedgerPdfQuery> {
  constructor(private readonly pdfs: LedgerPdfService) {}

  async execute({ partnerId, window }: PartnerLedgerPdfQuery): Promise<Buffer> {
    return this.pdfs.partnerLedger(partnerId, window);
  }
}
