/** Reads the products-sold rollup over a range of local days: one row per partner and product. */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ReportRangeRequest } from '../shared/report-range.request';
import { toCount } from '../shared/report-window';
import { type RangeReport, RollupReports } from '../shared/rollup-query';
import { PRODUCTS_SOLD_ROLLUP } from './products-sold.projection';

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

export type ProductsSoldReport = RangeReport<ProductsSoldRow>;

export class ProductsSoldQuery extends Query<ProductsSoldReport> {
  constructor(readonly request: ReportRangeRequest) {
    super();
  }
}

@QueryHandler(ProductsSoldQuery)
export class ProductsSoldHandler implements IQueryHandler<ProductsSoldQuery> {
  constructor(private readonly reports: RollupReports) {}

  execute({ request }: ProductsSoldQuery): Promise<ProductsSoldReport> {
    return this.reports.read(request, PRODUCTS_SOLD_ROLLUP, (row) => ({
      partnerId: row.partner_id,
      productId: row.product_id,
      sold: toCount(row.sold),
      quantity: toCount(row.quantity),
      declined: toCount(row.declined),
      collected: toCount(row.collected),
      collectedAmount: toCount(row.collected_minor),
      refundedAmount: toCount(row.refunded_minor),
    }));
  }
}
