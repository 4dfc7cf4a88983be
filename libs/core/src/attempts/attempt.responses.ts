/** The JSON shapes of attempts and commissions (attempt-views.ts builds them). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ATTEMPT_KINDS,
  ATTRIBUTION_RULES,
  COMMISSION_ROLES,
  PARTNER_LEVELS,
  REFERRAL_SOURCES,
  TRACKING_METHODS,
} from '@app/domain';
import { ApiInstant } from '../openapi/api-docs';
import { PayoutRolesResponse } from '../configuration/configuration.responses';

export class AttributionExplanationResponse {
  @ApiProperty({ enum: ['explicit', 'cookie', 'history', 'ip'], description: 'How the partner was found' })
  method!: string;

  @ApiPropertyOptional({
    description: 'The deciding click (cookie, ip) or the click that set the referral (history)',
  })
  clickId?: string;

  @ApiPropertyOptional()
  linkId?: string;

  @ApiInstant({ required: false })
  clickedAt?: string;

  @ApiInstant({ required: false, description: 'history: when the deciding referral record was set' })
  referralSetAt?: string;

  @ApiPropertyOptional({ enum: REFERRAL_SOURCES, description: 'history: what created the referral record' })
  referralSource?: string;

  @ApiProperty({ enum: ATTRIBUTION_RULES })
  rule!: string;

  @ApiProperty({ enum: TRACKING_METHODS })
  trackingMethod!: string;
}

export class SettingsAppliedResponse {
  @ApiProperty({ enum: ATTRIBUTION_RULES })
  attribution!: string;

  @ApiProperty({ enum: TRACKING_METHODS })
  trackingMethod!: string;

  @ApiProperty({ type: 'integer', enum: PARTNER_LEVELS })
  levels!: number;

  @ApiProperty()
  payIfUnused!: boolean;

  @ApiProperty()
  blockSelfReferrals!: boolean;

  @ApiProperty({ type: () => PayoutRolesResponse })
  payout!: PayoutRolesResponse;
}

export class CommissionRateResponse {
  @ApiProperty({ type: 'integer', nullable: true, description: 'Flat amount per unit, minor units' })
  flat!: number | null;

  @ApiProperty({ type: String, nullable: true, example: '10' })
  percent!: string | null;
}

export class CommissionResponse {
  @ApiProperty({ example: 'a-1:sale:L1:0' })
  commissionId!: string;

  @ApiProperty()
  partnerId!: string;

  @ApiProperty()
  attemptId!: string;

  @ApiProperty()
  productId!: string;

  @ApiProperty({ enum: COMMISSION_ROLES })
  role!: string;

  @ApiProperty({ type: 'integer', enum: [1, 2, 3] })
  level!: number;

  @ApiProperty({ description: 'An unused upper-level share paid to the level-1 partner (payIfUnused)' })
  unused!: boolean;

  @ApiProperty({ type: 'integer', description: 'Minor units', example: 970 })
  amount!: number;

  @ApiProperty({ type: 'integer', description: 'Clawed back so far by refunds, minor units' })
  clawedBack!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty()
  programId!: string;

  @ApiProperty({ enum: ['default', 'product'], description: "Which of the program's rules applied" })
  ruleKind!: string;

  @ApiProperty({ type: () => CommissionRateResponse })
  rate!: CommissionRateResponse;

  @ApiProperty({ type: 'integer', description: 'Unit price x quantity of the line, minor units' })
  base!: number;

  @ApiProperty({ type: 'integer' })
  quantity!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Renewals: 1 for the first; else null' })
  renewalNumber!: number | null;

  @ApiProperty({ type: () => AttributionExplanationResponse })
  attribution!: AttributionExplanationResponse;

  @ApiProperty({ type: () => SettingsAppliedResponse })
  settingsApplied!: SettingsAppliedResponse;
}

export class AttemptItemResponse {
  @ApiProperty()
  productId!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  quantity!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Minor units' })
  unitPrice!: number;
}

export class RenewalOfResponse {
  @ApiProperty()
  subscriptionId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The attempt that created the subscription' })
  attemptId!: string | null;
}

export class AttemptAttributionResponse {
  @ApiProperty({ type: () => AttributionExplanationResponse, nullable: true })
  sale!: AttributionExplanationResponse | null;

  @ApiProperty({ type: () => AttributionExplanationResponse, nullable: true })
  lead!: AttributionExplanationResponse | null;

  @ApiProperty({ type: () => RenewalOfResponse, nullable: true })
  renewalOf!: RenewalOfResponse | null;
}

export class AttemptResponse {
  @ApiProperty({ example: 'a-1' })
  attemptId!: string;

  @ApiProperty()
  orderId!: string;

  @ApiProperty()
  contactId!: string;

  @ApiProperty({ enum: ATTEMPT_KINDS })
  kind!: string;

  @ApiProperty({ type: String, nullable: true })
  subscriptionId!: string | null;

  @ApiProperty({ enum: ['pending', 'collected', 'declined'] })
  status!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: [AttemptItemResponse] })
  items!: AttemptItemResponse[];

  @ApiProperty({ type: 'integer', description: 'Minor units' })
  total!: number;

  @ApiProperty({ type: 'integer', description: 'Refunded so far, minor units' })
  refunded!: number;

  @ApiInstant()
  attemptedAt!: string;

  @ApiInstant({ nullable: true, type: String, description: 'When it was collected or declined' })
  outcomeAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  salePartnerId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  leadPartnerId!: string | null;

  @ApiProperty({ type: () => AttemptAttributionResponse })
  attribution!: AttemptAttributionResponse;

  @ApiProperty({ type: [CommissionResponse] })
  commissions!: CommissionResponse[];
}
