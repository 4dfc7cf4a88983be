/** The activity and ledger reports (api.md, Reports; domain.md 9): separate projections and their endpoints. */
import { Module } from '@nestjs/common';
import type { Projection } from '@app/projections';
import { PartnerLedgerPdfHandler } from './ledger/ledger-pdf.query';
import { LedgerPdfService } from './ledger/ledger-pdf.service';
import { LedgerController } from './ledger/ledger.controller';
import { ledgerProjection } from './ledger/ledger.projection';
import { LedgerReportHandler, PartnerLedgerHandler } from './ledger/ledger.query';
import { LinkStatsController } from './link-stats/link-stats.controller';
import { linkStatsProjection } from './link-stats/link-stats.projection';
import { LinkStatsHandler } from './link-stats/link-stats.query';
import { ProductsSoldController } from './products-sold/products-sold.controller';
import { productsSoldProjection } from './products-sold/products-sold.projection';
import { ProductsSoldHandler } from './products-sold/products-sold.query';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { reconciliationProjection } from './reconciliation/reconciliation.projection';
import { ReconciliationHandler } from './reconciliation/reconciliation.query';
import { ReportWindows } from './shared/report-window';
import { RollupReports } from './shared/rollup-query';

/** Each with its own tables and checkpoint. */
export const REPORT_PROJECTIONS: readonly Projection[] = [
  linkStatsProjection,
  productsSoldProjection,
  ledgerProjection,
  reconciliationProjection,
];

@Module({
  controllers: [LinkStatsController, ProductsSoldController, LedgerController, ReconciliationController],
  providers: [
    ReportWindows,
    RollupReports,
    LinkStatsHandler,
    ProductsSoldHandler,
    LedgerReportHandler,
    PartnerLedgerHandler,
    ReconciliationHandler,
    LedgerPdfService,
    PartnerLedgerPdfHandler,
  ],
  exports: [ReportWindows, LedgerPdfService],
})
export class ReportsModule {}
