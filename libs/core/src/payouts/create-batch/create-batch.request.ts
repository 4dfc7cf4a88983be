import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { MAX_AMOUNT_MINOR, PAYOUT_METHODS, type PayoutMethod } from '@app/domain';
import { IsDay, IsInstant } from '../../validation/calendar.validation';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ID_MESSAGE = 'must be 1..128 characters of A-Za-z0-9._:-';

export class CreateBatchRequest {
  @IsOptional()
  @Matches(ID, { message: ID_MESSAGE })
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
  @Matches(ID, { each: true, message: ID_MESSAGE })
  partnerIds?: string[];

  @IsOptional()
  @Matches(ID, { message: ID_MESSAGE })
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
