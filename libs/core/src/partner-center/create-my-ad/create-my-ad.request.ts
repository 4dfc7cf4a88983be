import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { CreateAdRequest } from '../../configuration/create-ad/create-ad.request';
import { PARTNER_ID } from '../signed-in-partner';

/** An ad of the signed-in partner; `partnerId` may only name it. */
export class MyAdRequest extends CreateAdRequest {
  @ApiPropertyOptional({ description: "The signed-in partner's own id; another partner's is 403" })
  @IsOptional()
  @IsString()
  @Matches(PARTNER_ID, { message: 'must be an id (1..128 characters of A-Za-z0-9._:-)' })
  partnerId?: string;
}
