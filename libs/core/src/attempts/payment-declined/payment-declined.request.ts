/** The data of a PaymentDeclined envelope. */
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { ENTITY_ID, ID_MESSAGE } from '../../ingest/ingest-ids';

export class PaymentDeclinedData {
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  attemptId!: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string;
}
