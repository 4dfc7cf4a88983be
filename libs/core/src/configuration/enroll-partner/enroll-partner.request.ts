import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { randomUUID } from 'node:crypto';
import { PARTNER_STATUSES, type Partner, type PartnerStatus } from '@app/domain';
import {
  IsNotBlank,
  IsPartnerCode,
  IsResourceId,
  MAX_NAME_LENGTH,
  OptionalNotNull,
} from '../configuration.validation';

/** Longest lead cookie a partner may have (100 years); null means forever. */
export const MAX_LEAD_COOKIE_DAYS = 36_500;
export const MAX_PROGRAMS_PER_PARTNER = 100;

export class EnrollPartnerRequest {
  @ApiPropertyOptional({ description: 'Client-chosen id; generated when absent' })
  @OptionalNotNull()
  @IsResourceId()
  id?: string;

  @ApiProperty({
    example: 'jane_doe',
    description: 'Unique (case-insensitive); the Partner Center sign-in name',
  })
  @IsString()
  @IsPartnerCode()
  code!: string;

  @ApiProperty()
  @IsString()
  @Length(1, MAX_NAME_LENGTH)
  @IsNotBlank()
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The recruiting partner' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  parentId?: string | null;

  @ApiProperty({ type: [String], description: 'One or more programs, in assigned order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PROGRAMS_PER_PARTNER)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  programIds!: string[];

  @ApiPropertyOptional({ enum: PARTNER_STATUSES, default: 'active' })
  @OptionalNotNull()
  @IsIn(PARTNER_STATUSES)
  status?: PartnerStatus;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null (default) = forever' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LEAD_COOKIE_DAYS)
  leadCookieDays?: number | null;

  @ApiPropertyOptional({ default: false })
  @OptionalNotNull()
  @IsBoolean()
  notifyOnLead?: boolean;

  @ApiPropertyOptional({ default: false })
  @OptionalNotNull()
  @IsBoolean()
  notifyOnSale?: boolean;

  @ApiPropertyOptional({
    minLength: 8,
    maxLength: 200,
    description: 'Partner Center password; never returned',
  })
  @OptionalNotNull()
  @IsString()
  @Length(8, 200)
  password?: string;
}

/** The partner a valid request describes, with the defaults filled in. */
export function partnerFromRequest(body: EnrollPartnerRequest): Partner {
  return {
    id: body.id ?? randomUUID(),
    code: body.code,
    name: body.name,
    email: body.email ?? null,
    parentId: body.parentId ?? null,
    programIds: body.programIds,
    status: body.status ?? 'active',
    leadCookieDays: body.leadCookieDays ?? null,
    notifyOnLead: body.notifyOnLead ?? false,
    notifyOnSale: body.notifyOnSale ?? false,
  };
}
