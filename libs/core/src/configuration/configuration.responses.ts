/** The JSON shapes the configuration endpoints answer with, for the OpenAPI document and typed clients. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AD_MEDIUMS,
  ATTRIBUTION_RULES,
  PARTNER_LEVELS,
  PARTNER_STATUSES,
  TRACKING_METHODS,
} from '@app/domain';
import { ApiInstant, ApiPosition } from '../openapi/api-docs';

export class PayoutRolesResponse {
  @ApiProperty({ description: 'The sale partner (and its upline) is paid' })
  sale!: boolean;

  @ApiProperty({ description: "The lead partner (the contact's referral history) is paid" })
  lead!: boolean;
}

export class PayoutScheduleResponse {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 28, example: 15 })
  cutoffDay!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Minor units', example: 10000 })
  minimumBalance!: number;
}

export class SignupSettingsResponse {
  @ApiProperty({ description: 'The Partner Center sign-up form is open' })
  enabled!: boolean;

  @ApiProperty({ description: 'New partners are active at once (else pending until approved)' })
  autoApprove!: boolean;

  @ApiProperty({ type: [String], description: 'Programs a new partner joins' })
  programIds!: string[];
}

export class SettingsResponse {
  @ApiProperty({ example: '', description: 'Prepended to partner codes in tracking URLs' })
  codePrefix!: string;

  @ApiProperty()
  skipNotifications!: boolean;

  @ApiProperty({ enum: ATTRIBUTION_RULES })
  attribution!: string;

  @ApiProperty({ enum: TRACKING_METHODS })
  trackingMethod!: string;

  @ApiProperty()
  useIpAddress!: boolean;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 365 })
  ipMatchDays!: number;

  @ApiProperty({ type: 'integer', enum: PARTNER_LEVELS })
  levels!: number;

  @ApiProperty({ type: () => PayoutRolesResponse })
  payout!: PayoutRolesResponse;

  @ApiProperty()
  payIfUnused!: boolean;

  @ApiProperty()
  blockSelfReferrals!: boolean;

  @ApiProperty({ example: 'USD', pattern: '^[A-Z]{3}$' })
  currency!: string;

  @ApiProperty({ example: 'UTC', description: 'IANA time zone of business days' })
  timezone!: string;

  @ApiProperty({ type: () => PayoutScheduleResponse })
  payoutSchedule!: PayoutScheduleResponse;

  @ApiProperty({ type: () => SignupSettingsResponse })
  signup!: SignupSettingsResponse;
}

export class SettingsChangedResponse extends SettingsResponse {
  @ApiPosition()
  position!: string;
}

export class RateResponse {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Flat amount per unit, minor units' })
  flat?: number;

  @ApiPropertyOptional({ example: '10', description: 'Percent of the line price' })
  percent?: string;
}

export class RuleResponse {
  @ApiProperty({ type: [RateResponse], description: 'Index 0 = level 1' })
  sale!: RateResponse[];

  @ApiPropertyOptional({ type: [RateResponse] })
  lead?: RateResponse[];

  @ApiPropertyOptional({ type: [RateResponse], description: 'Absent: the sale rates' })
  renewal?: RateResponse[];

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'null or absent = every renewal' })
  maxRenewals?: number | null;
}

export class ProgramResponse {
  @ApiProperty({ example: 'standard' })
  id!: string;

  @ApiProperty({ example: 'Standard' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  notes!: string | null;

  @ApiProperty({ type: 'integer', description: "Lowest number wins among a partner's programs" })
  priority!: number;

  @ApiProperty({ type: () => RuleResponse, nullable: true })
  default!: RuleResponse | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/RuleResponse' },
    description: 'Product rules keyed by product id',
  })
  products!: Record<string, RuleResponse>;
}

export class ProgramWrittenResponse extends ProgramResponse {
  @ApiPosition()
  position!: string;
}

export class PartnerResponse {
  @ApiProperty({ example: 'amy' })
  id!: string;

  @ApiProperty({ example: 'Amy' })
  code!: string;

  @ApiProperty({ example: 'Amy Adams' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, format: 'email' })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The recruiting partner (level 2)' })
  parentId!: string | null;

  @ApiProperty({ type: [String] })
  programIds!: string[];

  @ApiProperty({ enum: PARTNER_STATUSES })
  status!: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null = forever' })
  leadCookieDays!: number | null;

  @ApiProperty()
  notifyOnLead!: boolean;

  @ApiProperty()
  notifyOnSale!: boolean;

  @ApiInstant()
  enrolledAt!: string;

  @ApiInstant()
  updatedAt!: string;

  @ApiProperty({ description: 'Whether the partner can sign in to the Partner Center' })
  hasPassword!: boolean;
}

export class PartnerWrittenResponse extends PartnerResponse {
  @ApiPosition()
  position!: string;
}

export class LinkResponse {
  @ApiProperty({ example: 'spring' })
  id!: string;

  @ApiProperty({ example: 'spring' })
  code!: string;

  @ApiProperty({ example: 'Spring offer' })
  name!: string;

  @ApiProperty({ format: 'uri', example: 'https://shop.example.com/spring' })
  destinationUrl!: string;

  @ApiProperty({ type: String, nullable: true })
  programId!: string | null;

  @ApiInstant()
  definedAt!: string;
}

export class LinkWrittenResponse extends LinkResponse {
  @ApiPosition()
  position!: string;
}

export class AdResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  partnerId!: string;

  @ApiProperty()
  linkId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: AD_MEDIUMS })
  medium!: string;

  @ApiInstant()
  createdAt!: string;

  @ApiProperty({ format: 'uri', example: 'http://localhost:3000/r/Amy/spring?ad=banner-1' })
  trackingUrl!: string;
}

export class AdWrittenResponse extends AdResponse {
  @ApiPosition()
  position!: string;
}

export class PartnerLinkResponse extends LinkResponse {
  @ApiProperty({ format: 'uri', example: 'http://localhost:3000/r/Amy/spring' })
  trackingUrl!: string;

  @ApiProperty({ type: [AdResponse], description: "The partner's ads on this link" })
  ads!: readonly AdResponse[];
}
