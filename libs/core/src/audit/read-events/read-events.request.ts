import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class AuditEventsRequest {
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
