/** Reads the products-sold rollup over a range of local days: one row per partner and product. */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/platform';
import type { ReportRangeRequest } from '../shared/report-range.request';
import { rollupRows } from '../shared/periods';
import { ReportWindows, toCount } from '../shared/report-window';

const COLUMNS = [
  'partner_id',
  'product_id',
  'sold',
  'quantity',
  'declined',
  'collected',
  'collected_minor',
  'refunded_minor',
];

export interface ProductsSoldRow {
  partnerId: string;
  productId: string;
  sold: number;
  quantity: number;
  declined: number;
  collected: number;
  collectedAmount: number;
  refundedAmount: number;
}

export interface ProductsSoldReport {
  from: string;
  to: string;
  currency: string;
  rows: ProductsSoldRow[];
}

/** One summed row as read (every sum as text). */
interface SummedRow {
  partner_id: string;
  product_id: string;
  sold: string;
  quantity: string;
  declined: string;
  collected: string;
  collected_minor: string;
  refunded_minor: string;
}

export class ProductsSoldQuery extends Query<ProductsSoldReport> {
  constructor(readonly request: ReportRangeRequest) {
    super();
  }
}

@QueryHandler(ProductsSoldQuery)
export class ProductsSoldHandler implements IQueryHandler<ProductsSoldQuery> {
  constructor(
    private readonly database: Database,
    private readonly windows: ReportWindows,
  ) {}

  async execute({ request }: ProductsSoldQuery): Promise<ProductsSoldReport> {
    const window = await this.windows.open(request);
    const params: unknown[] = [];
    let partnerFilter = '';
    if (request.partnerId !== undefined) {
      params.push(request.partnerId);
      partnerFilter = ' AND partner_id = $1';
    }
    // Days, months and years: a few rows per key whatever the length of the range.
    const source = rollupRows(
      'products_sold_daily',
      'products_sold_periods',
      COLUMNS,
      window.from,
      window.to,
      params,
      partnerFilter,
    );
    const { rows } = await this.database.query<SummedRow>(
      `SELECT partner_id, product_id, sum(sold)::text AS sold, sum(quantity)::text AS quantity,
              sum(declined)::text AS declined, sum(collected)::text AS collected,
              sum(collected_minor)::text AS collected_minor, sum(refunded_minor)::text AS refunded_minor
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
        sold: toCount(row.sold),
        quantity: toCount(row.quantity),
        declined: toCount(row.declined),
        collected: toCount(row.collected),
        collectedAmount: toCount(row.collected_minor),
        refundedAmount: toCount(row.refunded_minor),
      })),
    };
  }
}
