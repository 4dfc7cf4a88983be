import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INTEGER, ReportResponse } from '../shared/report.responses';
import { LINK_STATS_GROUPINGS } from './link-stats.request';

export class LinkStatsRowResponse {
  @ApiProperty()
  partnerId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'null: attempts and opt-ins that came through no link',
  })
  linkId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  linkCode!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'groupBy ad and day only' })
  adId?: string | null;

  @ApiPropertyOptional({ format: 'date', description: 'groupBy day only' })
  day?: string;

  @ApiProperty(INTEGER)
  clicks!: number;

  @ApiProperty({ ...INTEGER, description: 'Distinct visitor ids over the whole group' })
  uniqueVisitors!: number;

  @ApiProperty(INTEGER)
  optIns!: number;

  @ApiProperty({ ...INTEGER, description: 'One-time purchase attempts, declined included' })
  orders!: number;

  @ApiProperty({ ...INTEGER, description: 'New-subscription attempts, declined included' })
  subscriptions!: number;

  @ApiProperty({ ...INTEGER, description: 'Renewal attempts' })
  renewals!: number;

  @ApiProperty(INTEGER)
  declined!: number;

  @ApiProperty(INTEGER)
  collected!: number;

  @ApiProperty({ ...INTEGER, description: 'Collected amount (not net of refunds), minor units' })
  revenue!: number;
}

export class LinkStatsResponse extends ReportResponse {
  @ApiProperty({ enum: LINK_STATS_GROUPINGS })
  groupBy!: string;

  @ApiProperty({ type: [LinkStatsRowResponse] })
  rows!: LinkStatsRowResponse[];
}
