import { ApiProperty } from '@nestjs/swagger';

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status!: string;

  @ApiProperty({ enum: ['up', 'down'] })
  database!: string;

  @ApiProperty({ enum: ['running', 'failing'] })
  projections!: string;
}
