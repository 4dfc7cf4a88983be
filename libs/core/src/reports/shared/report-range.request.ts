/** Query parameters every report accepts (api.md, Reports): inclusive local days, an optional partner, waitFor. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { parsePosition } from '@app/event-store';
import { IsResourceId } from '../../configuration/configuration.validation';
import { IsDay, IsNotBeforeFrom } from '../../validation/calendar.validation';
import { ValueRule } from '../../validation/rules';

/** A position answered by a write (`waitFor`). */
export const IsLogPosition = (): PropertyDecorator =>
  ValueRule(
    'isLogPosition',
    (value) => typeof value === 'string' && parsePosition(value) !== null,
    'must be a position answered by a write, such as "812-4711"',
  );

export class ReportWindowRequest {
  @ApiProperty({ example: '2026-01-01', description: 'First local day (settings timezone), inclusive' })
  @IsDay()
  from!: string;

  @ApiProperty({ example: '2026-01-31', description: 'Last local day (settings timezone), inclusive' })
  @IsDay()
  @IsNotBeforeFrom()
  to!: string;

  @ApiPropertyOptional({
    example: '812-4711',
    description: 'A position answered by a write: the report answers once the read models include it',
  })
  @IsOptional()
  @IsLogPosition()
  waitFor?: string;
}

export class ReportRangeRequest extends ReportWindowRequest {
  @ApiPropertyOptional({ description: 'Only this partner' })
  @IsOptional()
  @IsString()
  @IsResourceId()
  partnerId?: string;
}

/** A partner ledger: the JSON answer, or `format=pdf` for the printable ledger of the same numbers. */
export class PartnerLedgerRequest extends ReportWindowRequest {
  @ApiPropertyOptional({ enum: ['json', 'pdf'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'pdf'])
  format?: 'json' | 'pdf';
}
