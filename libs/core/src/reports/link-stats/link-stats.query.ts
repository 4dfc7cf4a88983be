/** Reads the link-stats rollup for a range of local days, grouped by link, ad or day. */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/platform';
import { fromKey } from '../shared/report-projection';
import { ReportWindows, toCount } from '../shared/report-window';
import type { LinkStatsGrouping, LinkStatsRequest } from './link-stats.request';

export interface LinkStatsRow {
  partnerId: string;
  /** null: attempts and opt-ins that came through no link (explicit partner, referral history). */
  linkId: string | null;
  linkCode: string | null;
  adId?: string | null;
  day?: string;
  clicks: number;
  uniqueVisitors: number;
  optIns: number;
  orders: number;
  subscriptions: number;
  /** Renewal attempts: neither orders nor new subscriptions, but their outcomes count below. */
  renewals: number;
  declined: number;
  collected: number;
  revenue: number;
}

export interface LinkStatsReport {
  from: string;
  to: string;
  currency: string;
  groupBy: LinkStatsGrouping;
  rows: LinkStatsRow[];
}

export class LinkStatsQuery extends Query<LinkStatsReport> {
  constructor(readonly request: LinkStatsRequest) {
    super();
  }
}

const KEYS: Record<LinkStatsGrouping, readonly string[]> = {
  link: ['partner_id', 'link_id'],
  ad: ['partner_id', 'link_id', 'ad_id'],
  day: ['partner_id', 'link_id', 'ad_id', 'day'],
};

interface Row {
  partner_id: string;
  link_id: string;
  ad_id?: string;
  day?: string;
  link_code: string | null;
  clicks: string;
  unique_visitors: string;
  opt_ins: string;
  orders: string;
  subscriptions: string;
  renewals: string;
  declined: string;
  collected: string;
  revenue_minor: string;
}

@QueryHandler(LinkStatsQuery)
export class LinkStatsHandler implements IQueryHandler<LinkStatsQuery> {
  constructor(
    private readonly database: Database,
    private readonly windows: ReportWindows,
  ) {}

  async execute({ request }: LinkStatsQuery): Promise<LinkStatsReport> {
    const window = await this.windows.open(request);
    const groupBy = request.groupBy ?? 'link';
    const keys = KEYS[groupBy];
    const params: unknown[] = [window.from, window.to];
    let filter = 'day BETWEEN $1::date AND $2::date';
    if (request.partnerId !== undefined) {
      params.push(request.partnerId);
      filter += ` AND partner_id = $${params.length}`;
    }
    const groupKeys = keys.join(', ');
    // A day row already holds its exact count; over wider groups a visitor seen on several days (or
    // through several ads) counts once, so the distinct visitors are counted from the helper table.
    const visitors =
      groupBy === 'day'
        ? 'SELECT NULL::text AS partner_id WHERE false'
        : `SELECT ${groupKeys}, count(DISTINCT visitor_id) AS unique_visitors
             FROM link_stats_visitors WHERE ${filter} GROUP BY ${groupKeys}`;
    const { rows } = await this.database.query<Row>(
      `WITH totals AS (
         SELECT ${groupKeys}, sum(clicks) AS clicks, sum(unique_visitors) AS day_visitors, sum(opt_ins) AS opt_ins,
                sum(orders) AS orders, sum(subscriptions) AS subscriptions, sum(renewals) AS renewals,
                sum(declined) AS declined, sum(collected) AS collected, sum(revenue_minor) AS revenue_minor
           FROM link_stats_daily WHERE ${filter} GROUP BY ${groupKeys}
       ), visitors AS (${visitors})
       SELECT ${keys.map((k) => (k === 'day' ? 't.day::text AS day' : `t.${k}`)).join(', ')}, l.code AS link_code,
              t.clicks::text, ${groupBy === 'day' ? 't.day_visitors' : 'coalesce(v.unique_visitors, 0)'}::text AS unique_visitors,
              t.opt_ins::text, t.orders::text, t.subscriptions::text, t.renewals::text, t.declined::text,
              t.collected::text, t.revenue_minor::text
         FROM totals t
         ${groupBy === 'day' ? '' : `LEFT JOIN visitors v ON ${keys.map((k) => `v.${k} = t.${k}`).join(' AND ')}`}
         LEFT JOIN link_stats_links l ON l.link_id = t.link_id
        ORDER BY ${keys.map((k) => (k === 'day' ? 't.day' : `t.${k} COLLATE "C"`)).join(', ')}`,
      params,
    );
    return {
      from: window.from,
      to: window.to,
      currency: window.currency,
      groupBy,
      rows: rows.map((row) => ({
        partnerId: row.partner_id,
        linkId: fromKey(row.link_id),
        linkCode: row.link_code,
        ...(groupBy === 'link' ? {} : { adId: fromKey(row.ad_id ?? '') }),
        ...(groupBy === 'day' ? { day: row.day! } : {}),
        clicks: toCount(row.clicks),
        uniqueVisitors: toCount(row.unique_visitors),
        optIns: toCount(row.opt_ins),
        orders: toCount(row.orders),
        subscriptions: toCount(row.subscriptions),
        renewals: toCount(row.renewals),
        declined: toCount(row.declined),
        collected: toCount(row.collected),
        revenue: toCount(row.revenue_minor),
      })),
    };
  }
}
