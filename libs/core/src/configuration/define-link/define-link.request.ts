import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { LinkDefinedData } from '@app/domain';
import { IsHttpUrl, IsLinkCode, IsName, IsResourceId, OptionalNotNull } from '../configuration.validation';

export class DefineLinkRequest {
  @ApiPropertyOptional({ description: 'Client-chosen id; generated when absent' })
  @OptionalNotNull()
  @IsResourceId()
  id?: string;

  @ApiProperty({
    example: 'spring-sale',
    description: 'Unique (case-insensitive); the last segment of tracking URLs',
  })
  @IsString()
  @IsLinkCode()
  code!: string;

  @ApiProperty()
  @IsName()
  name!: string;

  @ApiProperty({ example: 'https://shop.example.com/spring' })
  @IsString()
  @IsHttpUrl()
  destinationUrl!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  programId?: string | null;
}

export function linkFromRequest(body: DefineLinkRequest): LinkDefinedData {
  return {
    linkId: body.id ?? randomUUID(),
    code: body.code,
    name: body.name,
    destinationUrl: body.destinationUrl,
    programId: body.programId ?? null,
  };
}
