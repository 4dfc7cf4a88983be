/** The data of a ContactOptedIn envelope. */
import { IsIP, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsResourceId } from '../../configuration/configuration.validation';
import { IsCodeReference, IsVisitorId } from '../tracking.validation';

export class ContactOptedInData {
  @IsString()
  @IsResourceId()
  contactId!: string;

  @IsOptional()
  @IsVisitorId()
  visitorId?: string;

  @IsOptional()
  @IsCodeReference()
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
