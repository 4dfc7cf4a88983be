import { ApiProperty } from '@nestjs/swagger';
import { PARTNER_STATUSES } from '@app/domain';

/** The answer to a sign-up: the new partner's id and where it stands. */
export class SignupResponse {
  @ApiProperty()
  partnerId!: string;
  @ApiProperty()
  code!: string;
  @ApiProperty({
    enum: PARTNER_STATUSES,
    description: '`pending` until approved, `active` with auto-approval',
  })
  status!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The recruiting partner, if any' })
  parentId!: string | null;
  @ApiProperty({ description: 'Log position of the sign-up' })
  position!: string;
}
