import { ApiPropertyOptional } from '@nestjs/swagger';
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
import { PARTNER_STATUSES, type PartnerChanges, type PartnerStatus } from '@app/domain';
import { IsNotBlank, MAX_NAME_LENGTH, OptionalNotNull } from '../configuration.validation';
import { MAX_LEAD_COOKIE_DAYS, MAX_PROGRAMS_PER_PARTNER } from '../enroll-partner/enroll-partner.request';

/** Any of these fields; the code and the id never change. */
export class ChangePartnerRequest {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @Length(1, MAX_NAME_LENGTH)
  @IsNotBlank()
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null removes the email' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null = no parent' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  parentId?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PROGRAMS_PER_PARTNER)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  programIds?: string[];

  @ApiPropertyOptional({ enum: PARTNER_STATUSES })
  @OptionalNotNull()
  @IsIn(PARTNER_STATUSES)
  status?: PartnerStatus;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null = forever' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_LEAD_COOKIE_DAYS)
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
  @IsString()
  @Length(8, 200)
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
