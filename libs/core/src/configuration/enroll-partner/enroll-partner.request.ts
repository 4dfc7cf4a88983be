import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { PARTNER_STATUSES, type Partner, type PartnerStatus } from '@app/domain';
import {
  IsLeadCookieDays,
  IsName,
  IsPartnerCode,
  IsPartnerEmail,
  IsPartnerPassword,
  IsPartnerProgramIds,
  IsResourceId,
  OptionalNotNull,
} from '../configuration.validation';

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
  @IsName()
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsPartnerEmail()
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The recruiting partner' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  parentId?: string | null;

  @ApiProperty({ type: [String], description: 'One or more programs, in assigned order' })
  @IsPartnerProgramIds()
  programIds!: string[];

  @ApiPropertyOptional({ enum: PARTNER_STATUSES, default: 'active' })
  @OptionalNotNull()
  @IsIn(PARTNER_STATUSES)
  status?: PartnerStatus;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null (default) = forever' })
  @IsOptional()
  @IsLeadCookieDays()
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
  @IsPartnerPassword()
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
