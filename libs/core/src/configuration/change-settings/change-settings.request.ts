import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ATTRIBUTION_RULES,
  type AttributionRule,
  PARTNER_LEVELS,
  type PartnerLevels,
  TRACKING_METHODS,
  type TrackingMethod,
} from '@app/domain';
import { IsKnownCurrency, IsResourceId, IsTimeZone, OptionalNotNull } from '../configuration.validation';

export class PayoutRolesRequest {
  @ApiPropertyOptional({ description: 'Pay the sale partner (and its upline)' })
  @OptionalNotNull()
  @IsBoolean()
  sale?: boolean;

  @ApiPropertyOptional({ description: "Pay the lead partner (the contact's referral history)" })
  @OptionalNotNull()
  @IsBoolean()
  lead?: boolean;
}

export class PayoutScheduleRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: 28, example: 15 })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(28)
  cutoffDay?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Minor units', example: 10000 })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minimumBalance?: number;
}

export class SignupSettingsRequest {
  @ApiPropertyOptional({ default: false, description: 'Open POST /v1/partner-center/signup to the public' })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Sign-ups become active at once (PartnerApproved right after PartnerSignedUp)',
  })
  @OptionalNotNull()
  @IsBoolean()
  autoApprove?: boolean;

  @ApiPropertyOptional({
    type: [String],
    description: 'Programs a signed-up partner is assigned, in order; at least one while enabled',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsResourceId({ each: true })
  programIds?: string[];
}

/** Any subset of the settings (domain.md section 3); the domain checks them again before applying. */
export class ChangeSettingsRequest {
  @ApiPropertyOptional({ example: 'rp-', description: 'Prepended to partner codes in tracking URLs' })
  @OptionalNotNull()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{0,32}$/, { message: 'must be at most 32 letters, digits, "-" or "_"' })
  codePrefix?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  skipNotifications?: boolean;

  @ApiPropertyOptional({ enum: ATTRIBUTION_RULES })
  @OptionalNotNull()
  @IsIn(ATTRIBUTION_RULES)
  attribution?: AttributionRule;

  @ApiPropertyOptional({ enum: TRACKING_METHODS })
  @OptionalNotNull()
  @IsIn(TRACKING_METHODS)
  trackingMethod?: TrackingMethod;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  useIpAddress?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 365 })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(365)
  ipMatchDays?: number;

  @ApiPropertyOptional({ enum: PARTNER_LEVELS })
  @OptionalNotNull()
  @IsIn(PARTNER_LEVELS)
  levels?: PartnerLevels;

  @ApiPropertyOptional({ type: PayoutRolesRequest })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => PayoutRolesRequest)
  payout?: PayoutRolesRequest;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  payIfUnused?: boolean;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  blockSelfReferrals?: boolean;

  @ApiPropertyOptional({
    example: 'USD',
    description:
      'The settlement currency; fixed once any attempt, payment or adjustment exists (another one is 422 currency-locked)',
  })
  @OptionalNotNull()
  @IsKnownCurrency()
  currency?: string;

  @ApiPropertyOptional({ example: 'America/New_York' })
  @OptionalNotNull()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ type: PayoutScheduleRequest })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => PayoutScheduleRequest)
  payoutSchedule?: PayoutScheduleRequest;

  @ApiPropertyOptional({ type: SignupSettingsRequest })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => SignupSettingsRequest)
  signup?: SignupSettingsRequest;
}
