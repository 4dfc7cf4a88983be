/** What every report answers besides its rows. */
import { ApiProperty } from '@nestjs/swagger';

export class ReportResponse {
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  from!: string;

  @ApiProperty({ format: 'date', example: '2026-01-31' })
  to!: string;

  @ApiProperty({ example: 'USD', description: 'Money columns are minor units of this currency' })
  currency!: string;
}

/** A count or an amount in minor units. */
export const INTEGER = { type: 'integer' } as const;
