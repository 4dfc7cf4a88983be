import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsRFC3339, IsString, Matches, Max, Min } from 'class-validator';

export class AuditEventsQuery {
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,19}-\d{1,19}$/, { message: 'must be a position returned by this API, such as 812-4711' })
  after?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class AuditLedgerQuery {
  @IsOptional()
  @IsRFC3339()
  asOf?: string;

  @IsOptional()
  @Matches(DAY, { message: 'must be a day, YYYY-MM-DD' })
  from?: string;

  @IsOptional()
  @Matches(DAY, { message: 'must be a day, YYYY-MM-DD' })
  to?: string;
}
