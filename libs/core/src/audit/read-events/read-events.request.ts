import { IsOptional, IsString, Matches } from 'class-validator';
import { IsPageLimit } from '../../validation/rules';

export class AuditEventsRequest {
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,19}-\d{1,19}$/, { message: 'must be a position returned by this API, such as 812-4711' })
  after?: string;

  @IsOptional()
  @IsPageLimit()
  limit?: number;
}
