import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '@app/domain';
import { IsResourceId } from '../../configuration/configuration.validation';
import { IsPaidAt, IsPaymentType } from '../payment-fields.validation';

export class RecordPaymentRequest {
  @IsOptional()
  @IsResourceId()
  id?: string;

  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_MINOR)
  amount!: number;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter ISO 4217 code' })
  currency?: string;

  @IsPaymentType()
  paymentType!: string;

  @IsPaidAt()
  paidAt?: string;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  note?: string;
}
