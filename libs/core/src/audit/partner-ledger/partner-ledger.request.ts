import { IsOptional } from 'class-validator';
import { IsDay, IsInstant } from '../../validation/calendar.validation';

export class AuditLedgerRequest {
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @IsOptional()
  @IsDay()
  from?: string;

  @IsOptional()
  @IsDay()
  to?: string;
}
