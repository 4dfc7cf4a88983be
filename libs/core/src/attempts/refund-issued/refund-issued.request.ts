/** The data of a RefundIssued envelope. */
import { IsInt, IsString, Matches, Min, Max } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '@app/domain';
import { IsResourceId } from '../../configuration/configuration.validation';

export class RefundIssuedData {
  @IsString()
  @IsResourceId()
  refundId!: string;

  @IsString()
  @IsResourceId()
  attemptId!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_MINOR)
  amount!: number;

  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter ISO 4217 code' })
  currency!: string;
}
