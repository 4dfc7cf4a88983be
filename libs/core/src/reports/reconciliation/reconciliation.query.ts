/** Reads the reconciliation rollup: activity next to commissions, per partner and product. */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ReportRangeRequest } from '../shared/report-range.request';
import { toCount } from '../shared/report-window';
import { type RangeReport, RollupReports } from '../shared/rollup-query';
import { RECONCILIATION_ROLLUP } from './reconciliation.projection';

export interface ReconciliationRow {
  partnerId: string;
  productId: string;
  attempts: number;
  declined: number;
  pending: number;
  collected: number;
  commissionEarned: number;
  commissionClawedBack: number;
}

export type ReconciliationReport = RangeReport<ReconciliationRow>;

export class ReconciliationQuery extends Query<ReconciliationReport> {
  constructor(readonly request: ReportRangeRequest) {
    super();
  }
}

@QueryHandler(ReconciliationQuery)
export class ReconciliationHandler implements IQueryHandler<ReconciliationQuery> {
  constructor(private readonly reports: RollupReports) {}

  execute({ request }: ReconciliationQuery): Promise<ReconciliationReport> {
    return this.reports.read(request, RECONCILIATION_ROLLUP, (row) => ({
      partnerId: row.partner_id,
      productId: row.product_id,
      attempts: toCount(row.attempts),
      declined: toCount(row.declined),
      pending: toCount(row.pending),
      collected: toCount(row.collected),
      commissionEarned: toCount(row.commission_earned_minor),
      commissionClawedBack: toCount(row.commission_clawed_back_minor),
    }));
  }
}
