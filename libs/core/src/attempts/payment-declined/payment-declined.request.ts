/** The data of a PaymentDeclined envelope. */
import { IsOptional, IsString, Length } from 'class-validator';
import { IsResourceId } from '../../configuration/configuration.validation';

export class PaymentDeclinedData {
  @IsString()
  @IsResourceId()
  attemptId!: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string;
}
