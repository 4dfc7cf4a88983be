import { ApiProperty } from '@nestjs/swagger';
import { INTEGER, ReportResponse } from '../shared/report.responses';

export class ProductsSoldRowResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty()
  productId!: string;

  @ApiProperty({ ...INTEGER, description: 'Attempts that include the product, declined included' })
  sold!: number;

  @ApiProperty(INTEGER)
  quantity!: number;

  @ApiProperty(INTEGER)
  declined!: number;

  @ApiProperty(INTEGER)
  collected!: number;

  @ApiProperty({ ...INTEGER, description: 'Line totals of collected attempts, minor units' })
  collectedAmount!: number;

  @ApiProperty({ ...INTEGER, description: "Refunds shared over the attempt's lines, minor units" })
  refundedAmount!: number;
}

export class ProductsSoldResponse extends ReportResponse {
  @ApiProperty({ type: [ProductsSoldRowResponse] })
  rows!: ProductsSoldRowResponse[];
}
