/** Reads the link-stats rollup for a range of local days, grouped by link, ad or day. */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/platform';
import { dayPieces, rollupRows, singlePeriod } from '../shared/periods';
import { fromKey } from '../shared/report-projection';
import { ALL_ADS, LINK_STATS_ROLLUP } from './link-stats.projection';
import { ReportWindows, toCount } from '../shared/report-window';
import { partnerFilter as partnerFilterOf } from '../shared/rollup-query';
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

/** Up to this many days, distinct visitors are counted from the visitor-day rows. */
const SHORT_RANGE_DAYS = 62;

const SUMMED = [...LINK_STATS_ROLLUP.keys, ...LINK_STATS_ROLLUP.counters];

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

/** The day of a row grouped by day (a group key, so always selected). */
function groupedDay(row: Row): string {
  if (row.day === undefined) throw new Error(`A link-stats row grouped by day has no day (${row.link_id})`);
  return row.day;
}

/**
 * The months from the first day `from` to the first day `to` (inclusive), per year: the year's first
 * day and the bits of those months (January is bit 0), as `link_stats_visitor_years` keeps them.
 */
function monthMasks(from: string, to: string): { year: string; mask: number }[] {
  const monthIndex = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
  const masks = new Map<string, number>();
  for (let i = monthIndex(from); i <= monthIndex(to); i++) {
    const year = `${String(Math.floor(i / 12)).padStart(4, '0')}-01-01`;
    masks.set(year, (masks.get(year) ?? 0) | (1 << (i % 12)));
  }
  return [...masks].map(([year, mask]) => ({ year, mask }));
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
    const params: unknown[] = [];
    const partnerFilter = partnerFilterOf(request.partnerId, params);
    const groupKeys = keys.join(', ');
    const dayParam = (day: string) => {
      params.push(day);
      return `$${params.length}::date`;
    };
    // Counters: days, months and years, a few rows per key whatever the length of the range. The
    // month and year rows of a link over all its ads ('*') carry only its distinct visitors.
    const counters =
      groupBy === 'day'
        ? `SELECT ${SUMMED.join(', ')}, day FROM link_stats_daily
            WHERE day BETWEEN ${dayParam(window.from)} AND ${dayParam(window.to)}${partnerFilter}`
        : rollupRows(
            LINK_STATS_ROLLUP.daily,
            LINK_STATS_ROLLUP.periods,
            SUMMED,
            window.from,
            window.to,
            params,
            `${partnerFilter} AND ad_id <> '${ALL_ADS}'`,
          );
    const { rows } = await this.database.query<Row>(
      `WITH totals AS (
         SELECT ${groupKeys}, sum(clicks) AS clicks, sum(unique_visitors) AS day_visitors, sum(opt_ins) AS opt_ins,
                sum(orders) AS orders, sum(subscriptions) AS subscriptions, sum(renewals) AS renewals,
                sum(declined) AS declined, sum(collected) AS collected, sum(revenue_minor) AS revenue_minor
           FROM (${counters}) c GROUP BY ${groupKeys}
       )
       SELECT ${keys.map((k) => (k === 'day' ? 't.day::text AS day' : `t.${k}`)).join(', ')}, l.code AS link_code,
              t.clicks::text, t.day_visitors::text AS unique_visitors,
              t.opt_ins::text, t.orders::text, t.subscriptions::text, t.renewals::text, t.declined::text,
              t.collected::text, t.revenue_minor::text
         FROM totals t
         LEFT JOIN link_stats_links l ON l.link_id = t.link_id
        ORDER BY ${keys.map((k) => (k === 'day' ? 't.day' : `t.${k} COLLATE "C"`)).join(', ')}`,
      params,
    );
    if (groupBy !== 'day') {
      // Over wider groups a visitor seen on several days (or through several ads) counts once: the
      // distinct visitors come from their own query, merged here by key (a join in SQL lets the
      // planner pick a nested loop over two aggregates).
      const visitorParams: unknown[] = [];
      const visitorFilter = partnerFilterOf(request.partnerId, visitorParams);
      const sql = this.visitors(groupBy, window.from, window.to, visitorParams, visitorFilter);
      const { rows: counted } = await this.database.query<Record<string, string>>(sql, visitorParams);
      const keyOf = (row: Record<string, string | undefined>) => keys.map((k) => row[k] ?? '').join('\u0000');
      const visitors = new Map(counted.map((row) => [keyOf(row), row['unique_visitors'] ?? '0']));
      for (const row of rows)
        row.unique_visitors = visitors.get(keyOf(row as unknown as Record<string, string>)) ?? '0';
    }
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
        ...(groupBy === 'day' ? { day: groupedDay(row) } : {}),
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

  /**
   * Distinct visitors per key over the range, exact: a whole calendar month or year is one stored
   * count per key; a short range counts its visitor-days; a longer one counts distinct visitors over
   * the visitor rows of its whole years and months and of its remaining days (never every day).
   */
  private visitors(
    groupBy: 'link' | 'ad',
    from: string,
    to: string,
    params: unknown[],
    partnerFilter: string,
  ): string {
    const keys = KEYS[groupBy].join(', ');
    // Visitor rows of the ads: their union per link is the link's (its '*' rows are only for counts).
    const adFilter = ` AND ad_id <> '${ALL_ADS}'`;
    const dayParam = (day: string) => {
      params.push(day);
      return `$${params.length}::date`;
    };
    const period = singlePeriod(from, to);
    if (period !== null) {
      // A link clicked through several ads has its count over them in its '*' row; a link of one ad
      // has none, and its count is that ad's (the other ad rows, of attempts and opt-ins, count 0).
      const counted =
        groupBy === 'link'
          ? `CASE WHEN bool_or(ad_id = '${ALL_ADS}') THEN sum(unique_visitors) FILTER (WHERE ad_id = '${ALL_ADS}')
                  ELSE sum(unique_visitors) END`
          : 'sum(unique_visitors)';
      return `SELECT ${keys}, ${counted} AS unique_visitors FROM link_stats_periods
               WHERE period = '${period}' AND start = ${dayParam(from)}${groupBy === 'link' ? '' : adFilter}${partnerFilter}
               GROUP BY ${keys}`;
    }
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    if (days <= SHORT_RANGE_DAYS) {
      return `SELECT ${keys}, count(DISTINCT visitor_id) AS unique_visitors FROM link_stats_visitors
               WHERE day BETWEEN ${dayParam(from)} AND ${dayParam(to)}${partnerFilter} GROUP BY ${keys}`;
    }
    const intParam = (value: number) => {
      params.push(value);
      return `$${params.length}::int`;
    };
    const parts = dayPieces(from, to).runs.flatMap((run) => {
      if (run.kind === 'D')
        return [
          `SELECT ${keys}, visitor_id FROM link_stats_visitors
            WHERE day BETWEEN ${dayParam(run.from)} AND ${dayParam(run.to)}${partnerFilter}`,
        ];
      if (run.kind === 'Y')
        return [
          `SELECT ${keys}, visitor_id FROM link_stats_visitor_years
            WHERE year BETWEEN ${dayParam(run.from)} AND ${dayParam(run.to)}${adFilter}${partnerFilter}`,
        ];
      // Whole months: the visitors of their years with any of those months' bits set.
      return monthMasks(run.from, run.to).map(
        ({ year, mask }) =>
          `SELECT ${keys}, visitor_id FROM link_stats_visitor_years
            WHERE year = ${dayParam(year)} AND (months & ${intParam(mask)}) <> 0${adFilter}${partnerFilter}`,
      );
    });
    return `SELECT ${keys}, count(DISTINCT visitor_id) AS unique_visitors FROM (${parts.join(' UNION ALL ')}) u
             GROUP BY ${keys}`;
  }
}
