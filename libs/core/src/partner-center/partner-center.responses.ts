import { ApiProperty } from '@nestjs/swagger';
import { CommissionResponse } from '../attempts/attempt.responses';
import { PartnerResponse } from '../configuration/configuration.responses';

export class MyCommissionsResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: [CommissionResponse] })
  commissions!: CommissionResponse[];
}

/** GET /v1/me: the partner, with what the Partner Center needs to show it. */
export class MeProfileResponse extends PartnerResponse {
  @ApiProperty({ description: "Link that makes a new sign-up this partner's child" })
  recruitingUrl!: string;

  @ApiProperty({ example: 'USD', description: 'Settlement currency of every amount' })
  currency!: string;

  @ApiProperty({ example: 'UTC', description: 'IANA time zone of business days' })
  timezone!: string;
}
