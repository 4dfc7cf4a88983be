/** Reads the reconciliation rollup: activity next to commissions, per partner and product. */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/platform';
import type { ReportRangeRequest } from '../shared/report-range.request';
import { rollupRows } from '../shared/periods';
import { ReportWindows, toCount } from '../shared/report-window';

const COLUMNS = [
  'partner_id',
  'product_id',
  'attempts',
  'declined',
  'pending',
  'collected',
  'commission_earned_minor',
  'commission_clawed_back_minor',
];

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

export interface ReconciliationReport {
  from: string;
  to: string;
  currency: string;
  rows: ReconciliationRow[];
}

/** One summed row as read (every sum as text). */
interface SummedRow {
  partner_id: string;
  product_id: string;
  attempts: string;
  declined: string;
  pending: string;
  collected: string;
  earned: string;
  clawed_back: string;
}

export class ReconciliationQuery extends Query<ReconciliationReport> {
  constructor(readonly request: ReportRangeRequest) {
    super();
  }
}

@QueryHandler(ReconciliationQuery)
export class ReconciliationHandler implements IQueryHandler<ReconciliationQuery> {
  constructor(
    private readonly database: Database,
    private readonly windows: ReportWindows,
  ) {}

  async execute({ request }: ReconciliationQuery): Promise<ReconciliationReport> {
    const window = await this.windows.open(request);
    const params: unknown[] = [];
    let partnerFilter = '';
    if (request.partnerId !== undefined) {
      params.push(request.partnerId);
      partnerFilter = ' AND partner_id = $1';
    }
    // Days, months and years: a few rows per key whatever the length of the range.
    const source = rollupRows(
      'reconciliation_daily',
      'reconciliation_periods',
      COLUMNS,
      window.from,
      window.to,
      params,
      partnerFilter,
    );
    const { rows } = await this.database.query<SummedRow>(
      `SELECT partner_id, product_id, sum(attempts)::text AS attempts, sum(declined)::text AS declined,
              sum(pending)::text AS pending, sum(collected)::text AS collected,
              sum(commission_earned_minor)::text AS earned, sum(commission_clawed_back_minor)::text AS clawed_back
         FROM (${source}) r
        GROUP BY partner_id, product_id
        ORDER BY partner_id COLLATE "C", product_id COLLATE "C"`,
      params,
    );
    return {
      from: window.from,
      to: window.to,
      currency: window.currency,
      rows: rows.map((row) => ({
        partnerId: row.partner_id,
        productId: row.product_id,
        attempts: toCount(row.attempts),
        declined: toCount(row.declined),
        pending: toCount(row.pending),
        collected: toCount(row.collected),
        commissionEarned: toCount(row.earned),
        commissionClawedBack: toCount(row.clawed_back),
      })),
    };
  }
}
