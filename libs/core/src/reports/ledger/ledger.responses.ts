/** The ledger report and one partner's ledger (ledger.query.ts builds them). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COMMISSION_ROLES } from '@app/domain';
import { ApiInstant } from '../../openapi/api-docs';
import { INTEGER, ReportResponse } from '../shared/report.responses';

export const LEDGER_ENTRY_TYPES = ['commission', 'clawback', 'adjustment', 'payment'];

export class LedgerTotalsResponse {
  @ApiProperty({ ...INTEGER, description: 'Balance before the range, minor units' })
  beginningBalance!: number;

  @ApiProperty({ ...INTEGER, description: 'Positive' })
  commissions!: number;

  @ApiProperty({ ...INTEGER, description: 'Positive' })
  clawbacks!: number;

  @ApiProperty({ ...INTEGER, description: 'Signed' })
  adjustments!: number;

  @ApiProperty({ ...INTEGER, description: 'Positive' })
  payments!: number;

  @ApiProperty({ ...INTEGER, description: '= beginning + commissions - clawbacks + adjustments - payments' })
  endingBalance!: number;
}

export class LedgerReportRowResponse extends LedgerTotalsResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty()
  partnerCode!: string;
}

export class LedgerReportResponse extends ReportResponse {
  @ApiProperty({ type: [LedgerReportRowResponse] })
  rows!: LedgerReportRowResponse[];
}

export class LedgerEntryResponse {
  @ApiProperty({
    example: 'a-1:sale:L1:0',
    description: 'A label (commission, payment or adjustment id); two entries may share it',
  })
  entryId!: string;

  @ApiProperty({ description: "The id of the event the entry comes from: the entry's identity" })
  eventId!: string;

  @ApiInstant({ description: 'Collection, refund, payment (paidAt) or adjustment time' })
  occurredAt!: string;

  @ApiProperty({ enum: LEDGER_ENTRY_TYPES })
  type!: string;

  @ApiProperty({ ...INTEGER, description: 'Signed: + commissions and positive adjustments, - the others' })
  amount!: number;

  @ApiProperty({ ...INTEGER, description: 'The balance after this entry' })
  balance!: number;

  @ApiPropertyOptional()
  attemptId?: string;

  @ApiPropertyOptional()
  productId?: string;

  @ApiPropertyOptional()
  commissionId?: string;

  @ApiPropertyOptional({ enum: COMMISSION_ROLES })
  role?: string;

  @ApiPropertyOptional({ type: 'integer', enum: [1, 2, 3] })
  level?: number;

  @ApiPropertyOptional({ description: 'Clawbacks: the refund' })
  refundId?: string;

  @ApiPropertyOptional({ description: 'Payments made by a batch' })
  batchId?: string;

  @ApiPropertyOptional()
  paymentType?: string;

  @ApiPropertyOptional({ description: 'Adjustments: why' })
  reason?: string;
}

export class PartnerLedgerResponse extends LedgerTotalsResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty()
  partnerCode!: string;

  @ApiProperty({ format: 'date' })
  from!: string;

  @ApiProperty({ format: 'date' })
  to!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: [LedgerEntryResponse] })
  entries!: LedgerEntryResponse[];
}
