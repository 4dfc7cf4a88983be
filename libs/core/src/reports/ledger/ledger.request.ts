import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ReportRangeRequest } from '../shared/report-range.request';

export class LedgerReportRequest extends ReportRangeRequest {
  @ApiPropertyOptional({ description: 'Only partners enrolled in this program (now)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'must be an id (1..128 characters of A-Za-z0-9._:-)' })
  programId?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'csv: the same rows as CSV (or send Accept: text/csv)',
  })
  @IsOptional()
  @IsString()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
