/** The data of a PaymentCollected envelope. */
import { IsString, Matches } from 'class-validator';
import { ENTITY_ID, ID_MESSAGE } from '../../ingest/ingest-ids';

export class PaymentCollectedData {
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  attemptId!: string;
}
