import { IsIn, IsOptional } from 'class-validator';

export class BatchFormatRequest {
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
