/** What the audit endpoints answer: the log, the as-of ledger and the verification. */
import { ApiProperty, type ApiPropertyOptions, OmitType } from '@nestjs/swagger';
import { ApiInstant } from '../openapi/api-docs';
import { LedgerEntryResponse } from '../reports/ledger/ledger.responses';

/** Any JSON value. */
const ANY_JSON = {
  anyOf: [
    { type: 'object' },
    { type: 'array' },
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'null' },
  ],
} as ApiPropertyOptions;

export class AuditEventResponse {
  @ApiProperty({ example: '812-4711', description: 'Opaque; pass the last page’s `next` as `after`' })
  position!: string;

  @ApiProperty({ example: 'attempt-a-1' })
  streamId!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  streamVersion!: number;

  @ApiProperty()
  eventId!: string;

  @ApiProperty({ example: 'PaymentCollected' })
  type!: string;

  @ApiInstant({ description: 'Business time' })
  occurredAt!: string;

  @ApiInstant({ description: 'When the log recorded it' })
  recordedAt!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The payload of `type`' })
  data!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'actor, correlationId, causationId and, for ingested events, the envelope hash',
  })
  metadata!: Record<string, unknown>;
}

export class AuditEventsResponse {
  @ApiProperty({ type: [AuditEventResponse], description: 'In log order; empty = nothing readable yet' })
  events!: AuditEventResponse[];

  @ApiProperty({ example: '812-4711', description: 'Pass as `after` for the next page' })
  next!: string;
}

/** A ledger entry as the replay of the log gives it: the report's entry without refundId and reason. */
export class AuditLedgerEntryResponse extends OmitType(LedgerEntryResponse, [
  'refundId',
  'reason',
] as const) {}

export class AuditLedgerResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty({ format: 'date', description: 'Default: the first day with an event of the partner' })
  from!: string;

  @ApiProperty({ format: 'date', description: 'Default: the local day of asOf' })
  to!: string;

  @ApiInstant({ description: 'Only events recorded up to this instant were read' })
  asOf!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: 'integer' })
  beginningBalance!: number;

  @ApiProperty({ type: [AuditLedgerEntryResponse] })
  entries!: AuditLedgerEntryResponse[];

  @ApiProperty({ type: 'integer' })
  endingBalance!: number;

  @ApiProperty({ type: 'integer', description: 'Events of the partner read from the log' })
  checkedEvents!: number;
}

export class DifferenceResponse {
  @ApiProperty({ example: 'ledger_entries', description: 'The read model (or `events` for the hash chain)' })
  readModel!: string;

  @ApiProperty({ description: 'The row or event that differs' })
  key!: string;

  @ApiProperty({ ...ANY_JSON, description: 'What a replay of the log gives' })
  expected!: unknown;

  @ApiProperty({ ...ANY_JSON, description: 'What the read model holds' })
  actual!: unknown;
}

export class VerifyResponse {
  @ApiProperty()
  consistent!: boolean;

  @ApiProperty({ type: 'integer' })
  checkedEvents!: number;

  @ApiProperty({ type: [DifferenceResponse] })
  differences!: DifferenceResponse[];
}
