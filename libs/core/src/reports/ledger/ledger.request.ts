import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { IsResourceId } from '../../configuration/configuration.validation';
import { ReportRangeRequest } from '../shared/report-range.request';

export class LedgerReportRequest extends ReportRangeRequest {
  @ApiPropertyOptional({ description: 'Only partners enrolled in this program (now)' })
  @IsOptional()
  @IsString()
  @IsResourceId()
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
