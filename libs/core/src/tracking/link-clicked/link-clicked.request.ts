/** The data of a LinkClicked envelope. */
import { IsIP, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { ENTITY_ID, ID_MESSAGE } from '../../ingest/ingest-ids';

export class LinkClickedData {
  @ValidateIf((d: LinkClickedData) => d.partnerCode === undefined)
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  partnerId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  partnerCode?: string;

  @ValidateIf((d: LinkClickedData) => d.linkCode === undefined)
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  linkId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  linkCode?: string;

  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  adId?: string;

  @IsString()
  @Length(1, 200)
  visitorId!: string;

  @IsOptional()
  @IsIP()
  ip?: string;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  userAgent?: string;

  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID, { message: ID_MESSAGE })
  contactId?: string;
}
