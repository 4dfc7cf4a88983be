import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '@app/domain';
import { IsInstant } from '../../validation/calendar.validation';

const ENTITY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export class RecordPaymentRequest {
  @IsOptional()
  @Matches(ENTITY_ID, { message: 'must be 1..128 characters of A-Za-z0-9._:-' })
  id?: string;

  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_MINOR)
  amount!: number;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter ISO 4217 code' })
  currency?: string;

  @IsString()
  @Length(1, 50)
  paymentType!: string;

  @IsOptional()
  @IsInstant()
  paidAt?: string;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  note?: string;
}
