/** The data of a PaymentCollected envelope. */
import { IsString } from 'class-validator';
import { IsResourceId } from '../../configuration/configuration.validation';

export class PaymentCollectedData {
  @IsString()
  @IsResourceId()
  attemptId!: string;
}
