/** The data of a LinkClicked envelope. */
import { IsIP, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { IsResourceId } from '../../configuration/configuration.validation';

export class LinkClickedData {
  @ValidateIf((d: LinkClickedData) => d.partnerCode === undefined)
  @IsString()
  @IsResourceId()
  partnerId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  partnerCode?: string;

  @ValidateIf((d: LinkClickedData) => d.linkCode === undefined)
  @IsString()
  @IsResourceId()
  linkId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  linkCode?: string;

  @IsOptional()
  @IsString()
  @IsResourceId()
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
  @IsResourceId()
  contactId?: string;
}
