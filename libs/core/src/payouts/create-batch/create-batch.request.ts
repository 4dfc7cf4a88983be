import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { MAX_AMOUNT_MINOR, PAYOUT_METHODS, type PayoutMethod } from '@app/domain';
import { IsResourceId } from '../../configuration/configuration.validation';
import { IsDay, IsInstant } from '../../validation/calendar.validation';

export class CreateBatchRequest {
  @IsOptional()
  @IsResourceId()
  batchId?: string;

  @IsIn(PAYOUT_METHODS)
  method!: PayoutMethod;

  @ValidateIf((r: CreateBatchRequest) => r.method !== 'due' || r.from !== undefined)
  @IsString({ message: 'is required for this method' })
  @IsDay()
  from?: string;

  @ValidateIf((r: CreateBatchRequest) => r.method !== 'due' || r.to !== undefined)
  @IsString({ message: 'is required for this method' })
  @IsDay()
  to?: string;

  @ValidateIf((r: CreateBatchRequest) => r.method === 'due' || r.payDate !== undefined)
  @IsString({ message: 'is required for the due method' })
  @IsDay()
  payDate?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsResourceId({ each: true })
  partnerIds?: string[];

  @IsOptional()
  @IsResourceId()
  programId?: string;

  @IsString()
  @Length(1, 50)
  paymentType!: string;

  @IsOptional()
  @IsInstant()
  paidAt?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_MINOR)
  minimumAmount?: number;
}
