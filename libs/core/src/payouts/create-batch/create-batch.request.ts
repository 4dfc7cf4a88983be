import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { MAX_AMOUNT_MINOR, PAYOUT_METHODS, type PayoutMethod } from '@app/domain';
import { IsResourceId } from '../../configuration/configuration.validation';
import { IsDay } from '../../validation/calendar.validation';
import { IsPaidAt, IsPaymentType } from '../payment-fields.validation';

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

  @IsPaymentType()
  paymentType!: string;

  @IsPaidAt()
  paidAt?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_MINOR)
  minimumAmount?: number;
}
