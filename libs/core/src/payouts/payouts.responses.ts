/** What the payout endpoints answer: payments, adjustments, batches and the schedule. */
import { ApiProperty } from '@nestjs/swagger';
import { PAYOUT_METHODS, SKIP_REASONS } from '@app/domain';
import { ApiInstant, ApiPosition } from '../openapi/api-docs';

const MINOR = { type: 'integer', description: 'Minor units' } as const;

export class PaymentResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  partnerId!: string;

  @ApiProperty({ ...MINOR, minimum: 1 })
  amount!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ example: 'PayPal' })
  paymentType!: string;

  @ApiInstant()
  paidAt!: string;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The batch that made it (null: a manual payment)',
  })
  batchId!: string | null;

  @ApiPosition()
  position!: string;
}

export class AdjustmentResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  partnerId!: string;

  @ApiProperty({ ...MINOR, description: 'Signed, never 0, minor units' })
  amount!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty()
  reason!: string;

  @ApiInstant()
  occurredAt!: string;

  @ApiPosition()
  position!: string;
}

export class BatchPaymentResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty({ ...MINOR, minimum: 1 })
  amount!: number;

  @ApiProperty({ example: 'Batch-20260215:amy' })
  paymentId!: string;
}

export class BatchSkipResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty(MINOR)
  amount!: number;

  @ApiProperty({ enum: SKIP_REASONS })
  reason!: string;
}

export class BatchSummaryResponse {
  @ApiProperty({ example: 'Batch-20260215' })
  batchId!: string;

  @ApiProperty({ enum: PAYOUT_METHODS })
  method!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'Report methods' })
  from!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'Report methods' })
  to!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date', description: '`due` method' })
  payDate!: string | null;

  @ApiInstant({ type: String, nullable: true, description: '`due` method: the cutoff the pay date implies' })
  cutoff!: string | null;

  @ApiInstant()
  paidAt!: string;

  @ApiProperty()
  paymentType!: string;

  @ApiProperty(MINOR)
  minimumAmount!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty(MINOR)
  total!: number;
}

export class BatchListItemResponse extends BatchSummaryResponse {
  @ApiProperty({ type: 'integer' })
  paymentCount!: number;

  @ApiProperty({ type: 'integer' })
  skippedCount!: number;
}

export class BatchResponse extends BatchSummaryResponse {
  @ApiProperty({ type: [BatchPaymentResponse] })
  payments!: BatchPaymentResponse[];

  @ApiProperty({ type: [BatchSkipResponse], description: 'Zero, negative or below minimumAmount' })
  skipped!: BatchSkipResponse[];
}

export class BatchCreatedResponse extends BatchResponse {
  @ApiPosition()
  position!: string;
}

export class DueRowResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty({ ...MINOR, description: 'Commission entries up to the cutoff, net, minor units' })
  earnedThroughCutoff!: number;

  @ApiProperty(MINOR)
  paidSoFar!: number;

  @ApiProperty(MINOR)
  due!: number;

  @ApiProperty({ description: 'due > 0 and due >= minimumBalance' })
  eligible!: boolean;
}

export class DueResponse {
  @ApiProperty({ format: 'date', example: '2026-02-15' })
  payDate!: string;

  @ApiInstant({ description: 'End of cutoffDay of the previous month (settings timezone)' })
  cutoff!: string;

  @ApiProperty(MINOR)
  minimumBalance!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: [DueRowResponse] })
  rows!: DueRowResponse[];
}
