/** The data of a ContactOptedIn envelope. */
import { IsIP, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ENTITY_ID, ID_MESSAGE } from '../../ingest/ingest-ids';

export class ContactOptedInData {
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  contactId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  visitorId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  partnerCode?: string;

  @IsOptional()
  @IsString()
  @Length(3, 320)
  @Matches(/^[^\s@]+@[^\s@]+$/, { message: 'must be an email address' })
  email?: string;

  @IsOptional()
  @IsIP()
  ip?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  formId?: string;
}
