import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import {
  IsNotBlank,
  IsPartnerCode,
  MAX_NAME_LENGTH,
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
  @IsString()
  @Length(1, MAX_NAME_LENGTH)
  @IsNotBlank()
  name!: string;

  @ApiProperty({ example: 'jane@example.com' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({
    minLength: 8,
    maxLength: 200,
    description: 'Partner Center password; stored as a bcrypt hash',
  })
  @IsString()
  @Length(8, 200)
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
