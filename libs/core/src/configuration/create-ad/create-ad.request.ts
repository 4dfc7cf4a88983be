import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { AD_MEDIUMS, type AdCreatedData, type AdMedium } from '@app/domain';
import { IsName, IsResourceId, OptionalNotNull } from '../configuration.validation';

export class CreateAdRequest {
  @ApiPropertyOptional({ description: 'Client-chosen id; generated when absent' })
  @OptionalNotNull()
  @IsResourceId()
  id?: string;

  @ApiProperty()
  @IsString()
  @Length(1, 128)
  linkId!: string;

  @ApiProperty()
  @IsName()
  name!: string;

  @ApiProperty({ enum: AD_MEDIUMS })
  @IsIn(AD_MEDIUMS)
  medium!: AdMedium;
}

export function adFromRequest(partnerId: string, body: CreateAdRequest): AdCreatedData {
  return {
    adId: body.id ?? randomUUID(),
    partnerId,
    linkId: body.linkId,
    name: body.name,
    medium: body.medium,
  };
}
