import { IsOptional, IsString } from 'class-validator';
import { IsResourceId } from '../../configuration/configuration.validation';
import { IsInstant } from '../../validation/calendar.validation';

export class RecordReferralRequest {
  @IsString()
  @IsResourceId()
  partnerId!: string;

  @IsOptional()
  @IsInstant()
  expiresAt?: string;
}
