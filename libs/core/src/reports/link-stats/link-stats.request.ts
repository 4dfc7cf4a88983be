import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { ReportRangeRequest } from '../shared/report-range.request';

export const LINK_STATS_GROUPINGS = ['link', 'ad', 'day'] as const;
export type LinkStatsGrouping = (typeof LINK_STATS_GROUPINGS)[number];

export class LinkStatsRequest extends ReportRangeRequest {
  @ApiPropertyOptional({
    enum: LINK_STATS_GROUPINGS,
    default: 'link',
    description:
      'link: a row per partner and link; ad: per partner, link and ad; day: per partner, link, ad and day',
  })
  @IsOptional()
  @IsString()
  @IsIn(LINK_STATS_GROUPINGS)
  groupBy?: LinkStatsGrouping;
}
