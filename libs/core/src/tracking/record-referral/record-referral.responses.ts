import { ApiProperty } from '@nestjs/swagger';
import { ApiPosition } from '../../openapi/api-docs';
import { ReferralResponse } from '../referral-history/referral-history.responses';

export class RecordedReferralResponse extends ReferralResponse {
  @ApiProperty()
  contactId!: string;

  @ApiPosition()
  position!: string;
}
