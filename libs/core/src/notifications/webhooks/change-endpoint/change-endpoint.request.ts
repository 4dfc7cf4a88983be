import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { OptionalNotNull } from '../../../configuration/configuration.validation';
import { IsEndpointUrl, IsSubscribedEventTypes } from '../register-endpoint/register-endpoint.request';
import { WEBHOOK_EVENT_TYPES } from '../webhook-event-types';

export class ChangeEndpointRequest {
  @ApiPropertyOptional({ maxLength: 2000 })
  @OptionalNotNull()
  @IsEndpointUrl()
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @OptionalNotNull()
  @IsSubscribedEventTypes()
  events?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ description: 'true re-enables a disabled endpoint (and clears its reason)' })
  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}
