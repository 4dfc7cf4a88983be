import { ApiProperty } from '@nestjs/swagger';
import { INTEGER, ReportResponse } from '../shared/report.responses';

export class ReconciliationRowResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty()
  productId!: string;

  @ApiProperty({ ...INTEGER, description: 'Attempts credited to the partner (sale partner)' })
  attempts!: number;

  @ApiProperty(INTEGER)
  declined!: number;

  @ApiProperty(INTEGER)
  pending!: number;

  @ApiProperty(INTEGER)
  collected!: number;

  @ApiProperty({ ...INTEGER, description: 'Minor units' })
  commissionEarned!: number;

  @ApiProperty({ ...INTEGER, description: 'Minor units' })
  commissionClawedBack!: number;
}

export class ReconciliationResponse extends ReportResponse {
  @ApiProperty({ type: [ReconciliationRowResponse] })
  rows!: ReconciliationRowResponse[];
}
