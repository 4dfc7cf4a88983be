/** Reads the products-sold rollup over a range of local days: one row per partner and product. */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/platform';
import type { ReportRangeRequest } from '../shared/report-range.request';
import { ReportWindows, toCount } from '../shared/report-window';

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
    const params: unknown[] = [window.from, window.to];
    if (request.partnerId !== undefined) params.push(request.partnerId);
    const { rows } = await this.database.query<Record<string, string>>(
      `SELECT partner_id, product_id, sum(sold)::text AS sold, sum(quantity)::text AS quantity,
              sum(declined)::text AS declined, sum(collected)::text AS collected,
              sum(collected_minor)::text AS collected_minor, sum(refunded_minor)::text AS refunded_minor
         FROM products_sold_daily
        WHERE day BETWEEN $1::date AND $2::date ${request.partnerId !== undefined ? 'AND partner_id = $3' : ''}
        GROUP BY partner_id, product_id
        ORDER BY partner_id COLLATE "C", product_id COLLATE "C"`,
      params,
    );
    return {
      from: window.from,
      to: window.to,
      currency: window.currency,
      rows: rows.map((row) => ({
        partnerId: row['partner_id']!,
        productId: row['product_id']!,
        sold: toCount(row['sold']),
        quantity: toCount(row['quantity']),
        declined: toCount(row['declined']),
        collected: toCount(row['collected']),
        collectedAmount: toCount(row['collected_minor']),
        refundedAmount: toCount(row['refunded_minor']),
      })),
    };
  }
}
