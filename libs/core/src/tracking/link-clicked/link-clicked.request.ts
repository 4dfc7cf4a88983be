/** The data of a LinkClicked envelope. */
import { IsIP, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { IsResourceId } from '../../configuration/configuration.validation';
import { IsCodeReference, IsVisitorId } from '../tracking.validation';

export class LinkClickedData {
  @ValidateIf((d: LinkClickedData) => d.partnerCode === undefined)
  @IsString()
  @IsResourceId()
  partnerId?: string;

  @IsOptional()
  @IsCodeReference()
  partnerCode?: string;

  @ValidateIf((d: LinkClickedData) => d.linkCode === undefined)
  @IsString()
  @IsResourceId()
  linkId?: string;

  @IsOptional()
  @IsCodeReference()
  linkCode?: string;

  @IsOptional()
  @IsString()
  @IsResourceId()
  adId?: string;

  @IsVisitorId()
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
