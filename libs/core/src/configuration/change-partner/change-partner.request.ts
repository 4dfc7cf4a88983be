import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PARTNER_STATUSES, type PartnerChanges, type PartnerStatus } from '@app/domain';
import {
  IsLeadCookieDays,
  IsName,
  IsPartnerEmail,
  IsPartnerPassword,
  IsPartnerProgramIds,
  OptionalNotNull,
} from '../configuration.validation';

/** Any of these fields; the code and the id never change. */
export class ChangePartnerRequest {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsName()
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null removes the email' })
  @IsOptional()
  @IsPartnerEmail()
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null = no parent' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  parentId?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsPartnerProgramIds()
  programIds?: string[];

  @ApiPropertyOptional({ enum: PARTNER_STATUSES })
  @OptionalNotNull()
  @IsIn(PARTNER_STATUSES)
  status?: PartnerStatus;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null = forever' })
  @IsOptional()
  @IsLeadCookieDays()
  leadCookieDays?: number | null;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  notifyOnLead?: boolean;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  notifyOnSale?: boolean;

  @ApiPropertyOptional({ minLength: 8, maxLength: 200, description: 'Sets a new Partner Center password' })
  @OptionalNotNull()
  @IsPartnerPassword()
  password?: string;
}

/** The partner fields the request names (without the password, which is not a partner fact). */
export function requestedChanges({ password: _password, ...fields }: ChangePartnerRequest): PartnerChanges {
  const changes: PartnerChanges = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(changes, { [key]: value });
  }
  return changes;
}
