/** What GET /v1/contacts/:contactId/referral-history answers. */
import { ApiProperty } from '@nestjs/swagger';
import { REFERRAL_SOURCES } from '@app/domain';
import { ApiInstant } from '../../openapi/api-docs';

export class ContactClickResponse {
  @ApiProperty()
  clickId!: string;

  @ApiInstant()
  occurredAt!: string;

  @ApiProperty()
  partnerId!: string;

  @ApiProperty({ type: String, nullable: true })
  partnerCode!: string | null;

  @ApiProperty()
  linkId!: string;

  @ApiProperty({ type: String, nullable: true })
  linkCode!: string | null;

  @ApiProperty({ type: String, nullable: true })
  adId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip!: string | null;

  @ApiProperty({ description: 'False when the partner was not active: counted in stats, credits no one' })
  creditable!: boolean;
}

export class ReferralResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty({ enum: REFERRAL_SOURCES })
  source!: string;

  @ApiInstant({ description: 'The first click (or when it was recorded)' })
  setAt!: string;

  @ApiInstant({ description: 'The last click that refreshed it' })
  lastSeenAt!: string;

  @ApiInstant({ type: String, nullable: true, description: 'null = never expires' })
  expiresAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  clickId!: string | null;
}

export class ReferralHistoryResponse {
  @ApiProperty({ example: 'john' })
  contactId!: string;

  @ApiProperty({ type: [ContactClickResponse] })
  clicks!: ContactClickResponse[];

  @ApiProperty({ type: [ReferralResponse] })
  referrals!: ReferralResponse[];
}
