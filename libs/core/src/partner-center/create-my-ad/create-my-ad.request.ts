import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { CreateAdRequest } from '../../configuration/create-ad/create-ad.request';
import { IsResourceId } from '../../configuration/configuration.validation';

/** An ad of the signed-in partner; `partnerId` may only name it. */
export class MyAdRequest extends CreateAdRequest {
  @ApiPropertyOptional({ description: "The signed-in partner's own id; another partner's is 403" })
  @IsOptional()
  @IsString()
  @IsResourceId()
  partnerId?: string;
}
