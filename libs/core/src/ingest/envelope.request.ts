/** The ingest request: envelopes whose `data` is validated by the class registered for their type. */
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsIP,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  Max,
  type ValidationArguments,
} from 'class-validator';
import { ATTEMPT_KINDS, type AttemptKind, MAX_AMOUNT_MINOR, MAX_QUANTITY } from '@app/domain';
import { IsInstant } from '../validation/calendar.validation';

/** Client event ids: no '/', which the service reserves for the ids of the events it derives. */
export const CLIENT_EVENT_ID = /^[A-Za-z0-9._:@+=-]{1,200}$/;
export const ENTITY_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ID_MESSAGE = 'must be 1..128 characters of A-Za-z0-9._:-';

export const INGEST_TYPES = [
  'LinkClicked',
  'ContactOptedIn',
  'PurchaseAttempted',
  'PaymentCollected',
  'PaymentDeclined',
  'RefundIssued',
] as const;
export type IngestType = (typeof INGEST_TYPES)[number];

export class EnvelopeRequest {
  @IsString()
  @Matches(CLIENT_EVENT_ID, { message: 'must be 1..200 characters of A-Za-z0-9._:@+=- (no "/")' })
  eventId!: string;

  @IsIn(INGEST_TYPES)
  type!: IngestType;

  @ApiProperty({
    format: 'date-time',
    example: '2026-01-05T09:10:00Z',
    description: 'Business time of the fact',
  })
  @IsInstant()
  occurredAt!: string;

  @ApiProperty({
    description:
      'The fact, by `type`: LinkClickedData, ContactOptedInData, PurchaseAttemptedData, PaymentCollectedData, PaymentDeclinedData or RefundIssuedData',
    anyOf: INGEST_TYPES.map((type) => ({ $ref: `#/components/schemas/${type}Data` })),
  })
  @IsDefined()
  @IsObject()
  data!: Record<string, unknown>;
}

export class IngestRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => EnvelopeRequest)
  events!: EnvelopeRequest[];
}

export class LinkClickedData {
  @ValidateIf((d: LinkClickedData) => d.partnerCode === undefined)
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  partnerId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  partnerCode?: string;

  @ValidateIf((d: LinkClickedData) => d.linkCode === undefined)
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  linkId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  linkCode?: string;

  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  adId?: string;

  @IsString()
  @Length(1, 200)
  visitorId!: string;

  @IsOptional()
  @IsIP()
  ip?: string;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  userAgent?: string;

  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  contactId?: string;
}

export class ContactOptedInData {
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  contactId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  visitorId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  partnerCode?: string;

  @IsOptional()
  @IsString()
  @Length(3, 320)
  @Matches(/^[^\s@]+@[^\s@]+$/, { message: 'must be an email address' })
  email?: string;

  @IsOptional()
  @IsIP()
  ip?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  formId?: string;
}

/** quantity x unitPrice in minor units, or null while either is not a valid integer (other messages say so). */
function lineMinor(item: unknown): bigint | null {
  if (typeof item !== 'object' || item === null) return null;
  const { quantity, unitPrice } = item as { quantity?: unknown; unitPrice?: unknown };
  if (!Number.isSafeInteger(quantity) || !Number.isSafeInteger(unitPrice)) return null;
  return BigInt(quantity as number) * BigInt(unitPrice as number);
}

const MAX_AMOUNT = BigInt(MAX_AMOUNT_MINOR);

/** One line's amount is a single amount of money too: at most MAX_AMOUNT_MINOR (limits.ts). */
function IsLineWithinLimit() {
  return ValidateBy({
    name: 'isLineWithinLimit',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) =>
        (lineMinor(args?.object) ?? 0n) <= MAX_AMOUNT,
      defaultMessage: () => `quantity x unitPrice must be at most ${MAX_AMOUNT_MINOR} minor units`,
    },
  });
}

/** The attempt's total (what a collection collects) is at most MAX_AMOUNT_MINOR, once every line is. */
function IsTotalWithinLimit() {
  return ValidateBy({
    name: 'isTotalWithinLimit',
    validator: {
      validate: (items: unknown) => {
        if (!Array.isArray(items)) return true;
        const lines = items.map(lineMinor);
        if (lines.some((line) => line === null || line > MAX_AMOUNT)) return true;
        return lines.reduce((total: bigint, line) => total + line!, 0n) <= MAX_AMOUNT;
      },
      defaultMessage: () =>
        `the total of the items (quantity x unitPrice summed) must be at most ${MAX_AMOUNT_MINOR} minor units`,
    },
  });
}

export class PurchaseItemData {
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  productId!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;

  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_MINOR)
  @IsLineWithinLimit()
  unitPrice!: number;
}

export class PurchaseAttemptedData {
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  attemptId!: string;

  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  orderId!: string;

  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  contactId!: string;

  @IsIn(ATTEMPT_KINDS)
  kind!: AttemptKind;

  @ValidateIf((d: PurchaseAttemptedData) => d.kind !== 'order' || d.subscriptionId !== undefined)
  @IsString({ message: 'is required unless kind is order' })
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  subscriptionId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  visitorId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  partnerCode?: string;

  @IsOptional()
  @IsIP()
  ip?: string;

  @IsOptional()
  @IsString()
  @Length(3, 320)
  @Matches(/^[^\s@]+@[^\s@]+$/, { message: 'must be an email address' })
  email?: string;

  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter ISO 4217 code' })
  currency!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PurchaseItemData)
  @IsTotalWithinLimit()
  items!: PurchaseItemData[];
}

export class PaymentCollectedData {
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  attemptId!: string;
}

export class PaymentDeclinedData {
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  attemptId!: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string;
}

export class RefundIssuedData {
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  refundId!: string;

  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  attemptId!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_MINOR)
  amount!: number;

  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter ISO 4217 code' })
  currency!: string;
}

export const DATA_CLASSES = {
  LinkClicked: LinkClickedData,
  ContactOptedIn: ContactOptedInData,
  PurchaseAttempted: PurchaseAttemptedData,
  PaymentCollected: PaymentCollectedData,
  PaymentDeclined: PaymentDeclinedData,
  RefundIssued: RefundIssuedData,
} as const satisfies Record<IngestType, new () => object>;

export type IngestDataOf<T extends IngestType> = InstanceType<(typeof DATA_CLASSES)[T]>;
