/** The data of a PurchaseAttempted envelope. */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsIP,
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
import { MAX_AMOUNT_MINOR, MAX_QUANTITY, ATTEMPT_KINDS, type AttemptKind } from '@app/domain';
import { IsResourceId } from '../../configuration/configuration.validation';
import { IsCodeReference, IsVisitorId } from '../../tracking/tracking.validation';
import { ValueRule } from '../../validation/rules';

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
const IsTotalWithinLimit = (): PropertyDecorator =>
  ValueRule(
    'isTotalWithinLimit',
    (items) => {
      if (!Array.isArray(items)) return true;
      const lines = items.map(lineMinor);
      let total = 0n;
      // A line that is malformed or over the limit is reported by its own validator.
      for (const line of lines) {
        if (line === null || line > MAX_AMOUNT) return true;
        total += line;
      }
      return total <= MAX_AMOUNT;
    },
    `the total of the items (quantity x unitPrice summed) must be at most ${MAX_AMOUNT_MINOR} minor units`,
  );

export class PurchaseItemData {
  @IsString()
  @IsResourceId()
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
  @IsResourceId()
  attemptId!: string;

  @IsString()
  @IsResourceId()
  orderId!: string;

  @IsString()
  @IsResourceId()
  contactId!: string;

  @IsIn(ATTEMPT_KINDS)
  kind!: AttemptKind;

  @ValidateIf((d: PurchaseAttemptedData) => d.kind !== 'order' || d.subscriptionId !== undefined)
  @IsString({ message: 'is required unless kind is order' })
  @IsResourceId()
  subscriptionId?: string;

  @IsOptional()
  @IsVisitorId()
  visitorId?: string;

  @IsOptional()
  @IsCodeReference()
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
