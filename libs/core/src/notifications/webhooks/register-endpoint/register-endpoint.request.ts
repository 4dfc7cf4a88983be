import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { Rules } from '../../../validation/rules';
import { WEBHOOK_EVENT_TYPES } from '../webhook-event-types';

export const URL_OPTIONS = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_tld: false,
  allow_underscores: true,
};

/** Where deliveries are posted. */
export const IsEndpointUrl = (): PropertyDecorator =>
  Rules(IsString(), MaxLength(2000), IsUrl(URL_OPTIONS, { message: 'must be an http or https URL' }));

/** The webhook event types an endpoint receives: one or more, each once. */
export const IsSubscribedEventTypes = (): PropertyDecorator =>
  Rules(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(WEBHOOK_EVENT_TYPES.length),
    ArrayUnique(),
    IsIn(WEBHOOK_EVENT_TYPES, { each: true }),
  );

export class RegisterEndpointRequest {
  @ApiProperty({ example: 'https://erp.example.com/hooks/referrals', maxLength: 2000 })
  @IsEndpointUrl()
  url!: string;

  @ApiProperty({
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
    example: ['commission.earned', 'commission.clawed_back'],
  })
  @IsSubscribedEventTypes()
  events!: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}
