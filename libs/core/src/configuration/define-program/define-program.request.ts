import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsName, IsResourceId, OptionalNotNull } from '../configuration.validation';

// Rules are checked by the domain (parseProgram), which names each field it refuses, e.g.
// `products.premium.sale[0].percent`; these classes only document them.

export class RateDocument {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Flat amount per unit, minor units, 0..1000000000 (10^9)',
    example: 500,
  })
  flat?: number;

  @ApiPropertyOptional({
    description: 'Percent of the line price, "0".."100", <= 4 decimals',
    example: '12.5',
  })
  percent?: string;
}

export class RuleDocument {
  @ApiProperty({ type: [RateDocument], description: 'Index 0 = level 1; at most 3 levels' })
  sale!: RateDocument[];

  @ApiPropertyOptional({ type: [RateDocument] })
  lead?: RateDocument[];

  @ApiPropertyOptional({ type: [RateDocument], description: 'Defaults to sale' })
  renewal?: RateDocument[];

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null = every renewal' })
  maxRenewals?: number | null;
}

export class DefineProgramRequest {
  @ApiPropertyOptional({ description: 'Client-chosen id (POST only; generated when absent)' })
  @OptionalNotNull()
  @IsResourceId()
  id?: string;

  @ApiProperty()
  @IsName()
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  notes?: string | null;

  @ApiPropertyOptional({ default: 0, description: "Lowest number wins among a partner's programs" })
  @OptionalNotNull()
  @IsInt()
  @Min(-2_147_483_648)
  @Max(2_147_483_647)
  priority?: number;

  @ApiPropertyOptional({ type: RuleDocument, nullable: true })
  @IsOptional()
  @IsObject()
  default?: RuleDocument | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/RuleDocument' },
    description: 'Product rules keyed by product id',
  })
  @OptionalNotNull()
  @IsObject()
  products?: Record<string, RuleDocument>;
}
