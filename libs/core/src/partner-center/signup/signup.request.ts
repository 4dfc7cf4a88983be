import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import {
  IsName,
  IsPartnerCode,
  IsPartnerEmail,
  IsPartnerPassword,
  OptionalNotNull,
} from '../../configuration/configuration.validation';

/** The Partner Center sign-up form (`/partner-center/join`). */
export class SignupRequest {
  @ApiProperty({
    example: 'jane_doe',
    description: 'The new partner code: the sign-in name, in tracking URLs',
  })
  @IsString()
  @IsPartnerCode()
  code!: string;

  @ApiProperty({ example: 'Jane Doe' })
  @IsName()
  name!: string;

  @ApiProperty({ example: 'jane@example.com' })
  @IsPartnerEmail()
  email!: string;

  @ApiProperty({
    minLength: 8,
    maxLength: 200,
    description: 'Partner Center password; stored as a bcrypt hash',
  })
  @IsPartnerPassword()
  password!: string;

  @ApiPropertyOptional({
    example: 'Amy',
    description: 'Code of the recruiting partner (the `ref` of its recruiting link); becomes the parent',
  })
  @OptionalNotNull()
  @IsString()
  @Length(1, 64)
  recruitedBy?: string;
}
