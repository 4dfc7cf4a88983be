import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, NotEquals } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '@app/domain';
import { IsResourceId } from '../../configuration/configuration.validation';
import { IsInstant } from '../../validation/calendar.validation';

export class AdjustLedgerRequest {
  @IsOptional()
  @IsResourceId()
  id?: string;

  @IsInt()
  @NotEquals(0, { message: 'must not be 0' })
  @Min(-MAX_AMOUNT_MINOR)
  @Max(MAX_AMOUNT_MINOR)
  amount!: number;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter ISO 4217 code' })
  currency?: string;

  @IsString()
  @Length(1, 1000)
  reason!: string;

  @IsOptional()
  @IsInstant()
  occurredAt?: string;
}
