import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsLogPosition } from '../../reports/shared/report-range.request';
import { IsDay } from '../../validation/calendar.validation';

export class DueRequest {
  @IsDay()
  payDate!: string;

  @ApiPropertyOptional({
    example: '812-4711',
    description: 'A position answered by a write: the schedule answers once the ledger includes it',
  })
  @IsOptional()
  @IsLogPosition()
  waitFor?: string;
}
