import { ApiProperty } from '@nestjs/swagger';
import { CommissionResponse } from '../attempts/queries/attempt.responses';

export class MyCommissionsResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: [CommissionResponse] })
  commissions!: CommissionResponse[];
}
