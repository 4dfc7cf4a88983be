/**
 * Link tracking stats (domain.md 9): per partner, link, ad and local day, the clicks, unique visitors,
 * opt-ins and purchase attempts (counted whether or not they are collected) and their outcomes.
 *
 * - A click counts for the clicked partner, creditable or not.
 * - An opt-in counts for the partner named on it, under that partner's latest click of the visitor at
 *   or before the opt-in ("no link" without one); with no partner named, for the visitor's first or
 *   last creditable click before it (per the attribution setting); otherwise it is not counted.
 * - An attempt counts for its sale partner, under the deciding click's link and ad when the partner
 *   was found by cookie or IP, else under "no link". Its outcome stays on the attempt's own day.
 */
import type {
  AttemptAttributedData,
  ContactOptedInData,
  LinkClickedData,
  PaymentCollectedData,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { ProjectionContext } from '@app/projections';
import { domainProjection } from '../../infrastructure/domain-projection';
import {
  NONE,
  type ReportEvent,
  type ReportProjectionState,
  type Rollup,
  type RollupBuffer,
  applyReportEvents,
  yearOf,
} from '../shared/report-projection';
import type { AttemptTable } from '../shared/attempt-rows';
import {
  ATTEMPT_EVENTS,
  REPORT_ATTEMPT_COLUMNS,
  type AttemptSteps,
  type AttributedAttempt,
  type ReportAttempt,
  foldAttemptBatch,
  foldAttemptStep,
  isAttemptStep,
} from '../shared/attempt-report';

export const LINK_STATS_TABLES = [
  'link_stats_state',
  'link_stats_links',
  'link_stats_clicks',
  'link_stats_visitors',
  'link_stats_attempts',
  'link_stats_daily',
  'link_stats_periods',
  'link_stats_visitor_years',
  'link_stats_link_ads',
] as const;

/** The counters per partner, link, ad and local day (and its month and year). */
export const LINK_STATS_ROLLUP = {
  daily: 'link_stats_daily',
  periods: 'link_stats_periods',
  keys: ['partner_id', 'link_id', 'ad_id'],
  counters: [
    'clicks',
    'unique_visitors',
    'opt_ins',
    'orders',
    'subscriptions',
    'renewals',
    'declined',
    'collected',
    'revenue_minor',
  ],
} as const satisfies Rollup;
type DailyColumn = (typeof LINK_STATS_ROLLUP.counters)[number];

/** Stands for "every ad of the link" in the month and year visitor rows (ad ids never contain it). */
export const ALL_ADS = '*';

interface RowKey {
  partnerId: string;
  linkId: string;
  adId: string;
  day: string;
}

const KIND_COLUMN = { order: 'orders', subscription: 'subscriptions', renewal: 'renewals' } as const;

function bumpDaily(buffer: RollupBuffer, key: RowKey, deltas: Partial<Record<DailyColumn, number>>): void {
  buffer.add([key.partnerId, key.linkId, key.adId], key.day, deltas);
}

/**
 * The batch's clicks: a few statements for all of them. A
 * click counts for the clicked partner, creditable or not; a visitor counts once per (partner, link,
 * ad, day), and once per month and per year of the link's ad and of the link over all its ads.
 */
async function onClicks(ctx: ProjectionContext, buffer: RollupBuffer, items: readonly ReportEvent[]) {
  const clicks = items.map((item) => ({
    data: item.event.data as LinkClickedData,
    recorded: item.recorded,
    day: item.day,
  }));
  await ctx.query(
    `INSERT INTO ${ctx.table('link_stats_clicks')}
       (click_id, visitor_id, partner_id, link_id, ad_id, occurred_at, creditable, log_txid, log_seq)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::boolean[],
                          $8::bigint[], $9::bigint[])
     ON CONFLICT (click_id) DO NOTHING`,
    [
      clicks.map((c) => c.data.clickId),
      clicks.map((c) => c.data.visitorId),
      clicks.map((c) => c.data.partnerId),
      clicks.map((c) => c.data.linkId),
      clicks.map((c) => c.data.adId ?? NONE),
      clicks.map((c) => c.recorded.occurredAt),
      clicks.map((c) => c.data.creditable),
      clicks.map((c) => c.recorded.position.transactionId.toString()),
      clicks.map((c) => c.recorded.position.sequence.toString()),
    ],
  );
  // The visitors new to their (partner, link, ad, day): each one counts once.
  const freshDays = await ctx.query<{
    partner_id: string;
    link_id: string;
    ad_id: string;
    day: string;
    n: number;
  }>(
    `WITH fresh AS (
       INSERT INTO ${ctx.table('link_stats_visitors')} (day, partner_id, link_id, ad_id, visitor_id)
       SELECT DISTINCT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT DO NOTHING
       RETURNING day, partner_id, link_id, ad_id
     )
     SELECT partner_id, link_id, ad_id, to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM fresh GROUP BY partner_id, link_id, ad_id, day`,
    [
      clicks.map((c) => c.day),
      clicks.map((c) => c.data.partnerId),
      clicks.map((c) => c.data.linkId),
      clicks.map((c) => c.data.adId ?? NONE),
      clicks.map((c) => c.data.visitorId),
    ],
  );
  // ...and new to their month and year, of the ad and (for a link clicked through several ads) of
  // the link over all its ads: one row per visitor and year whose bits are its months; the bits an
  // upsert sets are the months it is new to.
  const multiAd = await linksOfSeveralAds(
    ctx,
    clicks.map((c) => ({ partnerId: c.data.partnerId, linkId: c.data.linkId, adId: c.data.adId ?? NONE })),
  );
  const visitorYears = clicks.flatMap((c) =>
    (multiAd.has(linkKey(c.data.partnerId, c.data.linkId))
      ? [c.data.adId ?? NONE, ALL_ADS]
      : [c.data.adId ?? NONE]
    ).map((adId) => ({ c, adId, month: 1 << (Number(c.day.slice(5, 7)) - 1) })),
  );
  const freshPeriods = await ctx.query<{
    partner_id: string;
    link_id: string;
    ad_id: string;
    period: 'M' | 'Y';
    start: string;
    n: number;
  }>(
    `WITH input AS (
       SELECT year, partner_id, link_id, ad_id, visitor_id, bit_or(months) AS months
         FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
           AS u (year, partner_id, link_id, ad_id, visitor_id, months)
        GROUP BY year, partner_id, link_id, ad_id, visitor_id
     ),
     -- What each visitor-year held before (every part of one statement reads the same snapshot, and the
     -- projection is its tables' only writer), for those that gain a month.
     seen AS (
       SELECT i.year, i.partner_id, i.link_id, i.ad_id, i.visitor_id,
              coalesce(v.months, 0) AS before, coalesce(v.months, 0) | i.months AS after
         FROM input i
         LEFT JOIN ${ctx.table('link_stats_visitor_years')} v USING (year, partner_id, link_id, ad_id, visitor_id)
        WHERE (coalesce(v.months, 0) | i.months) <> coalesce(v.months, 0)
     ),
     written AS (
       INSERT INTO ${ctx.table('link_stats_visitor_years')} AS v (year, partner_id, link_id, ad_id, visitor_id, months)
       SELECT year, partner_id, link_id, ad_id, visitor_id, after FROM seen
       ON CONFLICT (year, partner_id, link_id, ad_id, visitor_id) DO UPDATE SET months = EXCLUDED.months
     )
     SELECT partner_id, link_id, ad_id, 'Y' AS period, to_char(year, 'YYYY-MM-DD') AS start, count(*)::int AS n
       FROM seen WHERE before = 0 GROUP BY partner_id, link_id, ad_id, year
     UNION ALL
     SELECT partner_id, link_id, ad_id, 'M', to_char(year + make_interval(months => m - 1), 'YYYY-MM-DD'), count(*)::int
       FROM seen CROSS JOIN generate_series(1, 12) AS m
      WHERE ((after & ~before) & (1 << (m - 1))) <> 0
      GROUP BY partner_id, link_id, ad_id, year, m`,
    [
      visitorYears.map(({ c }) => yearOf(c.day)),
      visitorYears.map(({ c }) => c.data.partnerId),
      visitorYears.map(({ c }) => c.data.linkId),
      visitorYears.map(({ adId }) => adId),
      visitorYears.map(({ c }) => c.data.visitorId),
      visitorYears.map(({ month }) => month),
    ],
  );
  for (const c of clicks)
    buffer.add([c.data.partnerId, c.data.linkId, c.data.adId ?? NONE], c.day, { clicks: 1 });
  for (const v of freshDays.rows)
    buffer.addDay([v.partner_id, v.link_id, v.ad_id], v.day, { unique_visitors: v.n });
  for (const v of freshPeriods.rows)
    buffer.addPeriod([v.partner_id, v.link_id, v.ad_id], v.period, v.start, { unique_visitors: v.n });
}

const linkKey = (partnerId: string, linkId: string): string => JSON.stringify([partnerId, linkId]);

/**
 * The (partner, link) pairs of these clicks that have been clicked through more than one ad value
 * (no ad counts as one), as `link_stats_link_ads` records them. Only those keep visitor rows and
 * distinct counts over all their ads (`ad_id = '*'`): for a link of one ad they are that ad's. A
 * pair that becomes one of several ads in this batch first gets its '*' rows copied from its one ad.
 */
async function linksOfSeveralAds(
  ctx: ProjectionContext,
  clicks: readonly { partnerId: string; linkId: string; adId: string }[],
): Promise<Set<string>> {
  const ads = new Map<string, { partnerId: string; linkId: string; stored: Set<string>; all: Set<string> }>();
  for (const { partnerId, linkId, adId } of clicks) {
    const key = linkKey(partnerId, linkId);
    const entry = ads.get(key) ?? { partnerId, linkId, stored: new Set(), all: new Set() };
    entry.all.add(adId);
    ads.set(key, entry);
  }
  const pairs = [...ads.values()];
  const { rows } = await ctx.query<{ partner_id: string; link_id: string; ad_id: string }>(
    `SELECT a.partner_id, a.link_id, a.ad_id FROM ${ctx.table('link_stats_link_ads')} a
       JOIN unnest($1::text[], $2::text[]) AS p (partner_id, link_id) USING (partner_id, link_id)`,
    [pairs.map((p) => p.partnerId), pairs.map((p) => p.linkId)],
  );
  for (const row of rows) {
    const entry = ads.get(linkKey(row.partner_id, row.link_id));
    entry?.stored.add(row.ad_id);
    entry?.all.add(row.ad_id);
  }
  const fresh = pairs.flatMap((p) =>
    [...p.all].filter((ad) => !p.stored.has(ad)).map((adId) => ({ ...p, adId })),
  );
  if (fresh.length > 0)
    await ctx.query(
      `INSERT INTO ${ctx.table('link_stats_link_ads')} (partner_id, link_id, ad_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [fresh.map((f) => f.partnerId), fresh.map((f) => f.linkId), fresh.map((f) => f.adId)],
    );
  // Of one ad so far, of several from now on: the link's visitors and counts so far are its ad's.
  const becoming = pairs.filter((p) => p.stored.size === 1 && p.all.size > 1);
  if (becoming.length > 0) {
    const params = [becoming.map((p) => p.partnerId), becoming.map((p) => p.linkId)];
    await ctx.query(
      `INSERT INTO ${ctx.table('link_stats_visitor_years')} (year, partner_id, link_id, ad_id, visitor_id, months)
       SELECT v.year, v.partner_id, v.link_id, '${ALL_ADS}', v.visitor_id, v.months
         FROM ${ctx.table('link_stats_visitor_years')} v
         JOIN unnest($1::text[], $2::text[]) AS p (partner_id, link_id) USING (partner_id, link_id)`,
      params,
    );
    await ctx.query(
      `INSERT INTO ${ctx.table('link_stats_periods')} (partner_id, link_id, ad_id, period, start, unique_visitors)
       SELECT r.partner_id, r.link_id, '${ALL_ADS}', r.period, r.start, sum(r.unique_visitors)
         FROM ${ctx.table('link_stats_periods')} r
         JOIN unnest($1::text[], $2::text[]) AS p (partner_id, link_id) USING (partner_id, link_id)
        GROUP BY r.partner_id, r.link_id, r.period, r.start`,
      params,
    );
  }
  return new Set(pairs.filter((p) => p.all.size > 1).map((p) => linkKey(p.partnerId, p.linkId)));
}

/** A click as the opt-in rule sees it: ordered by (occurredAt, log position). */
interface VisitorClick {
  partnerId: string;
  linkId: string;
  adId: string;
  creditable: boolean;
  atMs: number;
  txid: bigint;
  seq: bigint;
}

const clickOrder = (a: VisitorClick, b: VisitorClick) =>
  a.atMs !== b.atMs
    ? a.atMs - b.atMs
    : a.txid !== b.txid
      ? a.txid < b.txid
        ? -1
        : 1
      : a.seq < b.seq
        ? -1
        : a.seq > b.seq
          ? 1
          : 0;

/**
 * The clicks of the visitors who opt in during a batch: the stored ones, read once, and those of the
 * batch itself, added as they come. The opt-in rule then needs no query.
 */
class VisitorClicks {
  private readonly byVisitor = new Map<string, VisitorClick[]>();

  static async load(ctx: ProjectionContext, events: readonly RecordedEvent[]): Promise<VisitorClicks> {
    const visitors = new Set<string>();
    for (const e of events) {
      const visitorId =
        e.type === 'ContactOptedIn' ? (e.data as { visitorId?: unknown }).visitorId : undefined;
      if (typeof visitorId === 'string') visitors.add(visitorId);
    }
    const clicks = new VisitorClicks();
    if (visitors.size === 0) return clicks;
    const { rows } = await ctx.query<{
      visitor_id: string;
      partner_id: string;
      link_id: string;
      ad_id: string;
      creditable: boolean;
      occurred_at: Date;
      log_txid: string;
      log_seq: string;
    }>(
      `SELECT visitor_id, partner_id, link_id, ad_id, creditable, occurred_at, log_txid::text, log_seq::text
         FROM ${ctx.table('link_stats_clicks')} WHERE visitor_id = ANY($1)`,
      [[...visitors]],
    );
    for (const row of rows) {
      clicks.add(row.visitor_id, {
        partnerId: row.partner_id,
        linkId: row.link_id,
        adId: row.ad_id,
        creditable: row.creditable,
        atMs: row.occurred_at.getTime(),
        txid: BigInt(row.log_txid),
        seq: BigInt(row.log_seq),
      });
    }
    return clicks;
  }

  add(visitorId: string, click: VisitorClick): void {
    const list = this.byVisitor.get(visitorId) ?? [];
    list.push(click);
    this.byVisitor.set(visitorId, list);
  }

  /** The first or last (per `direction`) click of the visitor at or before `atMs` that `accept`s. */
  pick(
    visitorId: string,
    atMs: number,
    direction: 'first' | 'last',
    accept: (click: VisitorClick) => boolean,
  ): VisitorClick | undefined {
    let best: VisitorClick | undefined;
    for (const click of this.byVisitor.get(visitorId) ?? []) {
      if (click.atMs > atMs || !accept(click)) continue;
      if (!best || (direction === 'last' ? clickOrder(click, best) > 0 : clickOrder(click, best) < 0))
        best = click;
    }
    return best;
  }
}

function onOptIn(
  visitors: VisitorClicks,
  buffer: RollupBuffer,
  { recorded, day }: ReportEvent,
  data: ContactOptedInData,
  state: ReportProjectionState,
): void {
  const atMs = Date.parse(recorded.occurredAt);
  if (data.partnerId) {
    const partnerId = data.partnerId;
    const click = data.visitorId
      ? visitors.pick(data.visitorId, atMs, 'last', (c) => c.partnerId === partnerId)
      : undefined;
    bumpDaily(
      buffer,
      { partnerId, linkId: click?.linkId ?? NONE, adId: click?.adId ?? NONE, day },
      { opt_ins: 1 },
    );
    return;
  }
  if (!data.visitorId) return;
  const click = visitors.pick(
    data.visitorId,
    atMs,
    state.attribution === 'first' ? 'first' : 'last',
    (c) => c.creditable,
  );
  if (!click) return;
  bumpDaily(
    buffer,
    { partnerId: click.partnerId, linkId: click.linkId, adId: click.adId, day },
    { opt_ins: 1 },
  );
}

interface AttemptRow extends ReportAttempt {
  kind: keyof typeof KIND_COLUMN;
  link_id: string;
  ad_id: string;
}

const ATTEMPTS: AttemptTable<AttemptRow> = {
  name: 'link_stats_attempts',
  columns: {
    ...REPORT_ATTEMPT_COLUMNS,
    kind: { type: 'text', updated: false },
    link_id: { type: 'text', updated: true },
    ad_id: { type: 'text', updated: true },
  },
};

/**
 * The links of the clicks that decided the batch's attributions, read once per batch (clicks of the
 * batch itself are known from its events).
 */
class ClickLinks {
  private readonly links = new Map<string, { link_id: string; ad_id: string }>();

  static async load(ctx: ProjectionContext, events: readonly RecordedEvent[]): Promise<ClickLinks> {
    const clickLinks = new ClickLinks();
    const clickIds = new Set<string>();
    for (const e of events) {
      const data = e.data as { saleAttribution?: { clickId?: unknown } | null };
      const clickId = e.type === 'AttemptAttributed' ? data.saleAttribution?.clickId : undefined;
      if (typeof clickId === 'string') clickIds.add(clickId);
    }
    if (clickIds.size > 0) {
      const { rows } = await ctx.query<{ click_id: string; link_id: string; ad_id: string }>(
        `SELECT click_id, link_id, ad_id FROM ${ctx.table('link_stats_clicks')} WHERE click_id = ANY($1)`,
        [[...clickIds]],
      );
      for (const row of rows) clickLinks.links.set(row.click_id, row);
    }
    return clickLinks;
  }

  /** A click of this batch: the stored one wins, like ON CONFLICT DO NOTHING. */
  saw(data: LinkClickedData): void {
    if (!this.links.has(data.clickId))
      this.links.set(data.clickId, { link_id: data.linkId, ad_id: data.adId ?? NONE });
  }

  get(clickId: string): { link_id: string; ad_id: string } | undefined {
    return this.links.get(clickId);
  }
}

/** The link and ad an attempt counts under: the deciding click's when the partner was found by cookie or IP. */
function decidingLink(
  clickLinks: ClickLinks,
  data: AttemptAttributedData,
): { link_id: string; ad_id: string } {
  const how = data.saleAttribution;
  // Attributed by a click on a link: counted on that link (and its ad, from the click).
  const byClick =
    (how?.method === 'cookie' || how?.method === 'ip') && how.linkId
      ? { linkId: how.linkId, clickId: how.clickId }
      : null;
  const click = byClick?.clickId ? clickLinks.get(byClick.clickId) : undefined;
  return click ?? { link_id: byClick?.linkId ?? NONE, ad_id: NONE };
}

const rowKey = (attempt: AttributedAttempt<AttemptRow>): RowKey => ({
  partnerId: attempt.partner_id,
  linkId: attempt.link_id,
  adId: attempt.ad_id,
  day: attempt.day,
});

/** What link stats counts at each step of an attempt: under its link and ad. */
function countedSteps(buffer: RollupBuffer, clickLinks: ClickLinks): AttemptSteps<AttemptRow> {
  return {
    created: (data) => ({ kind: data.kind, link_id: NONE, ad_id: NONE }),
    attributing: (data) => decidingLink(clickLinks, data),
    attributed: (attempt) => bumpDaily(buffer, rowKey(attempt), { [KIND_COLUMN[attempt.kind]]: 1 }),
    settled: (attempt, outcome, data) =>
      outcome === 'declined'
        ? bumpDaily(buffer, rowKey(attempt), { declined: 1 })
        : bumpDaily(buffer, rowKey(attempt), {
            collected: 1,
            revenue_minor: (data as PaymentCollectedData).amountMinor,
          }),
  };
}

export const linkStatsProjection = domainProjection({
  name: 'link-stats',
  handles: [...ATTEMPT_EVENTS, 'LinkDefined', 'LinkClicked', 'ContactOptedIn'],
  tables: LINK_STATS_TABLES,
  async apply(events, ctx) {
    // Set-based: what the batch needs is read once, the batch is folded in memory, and each table
    // is written once at the end (nothing reads the written tables in between).
    await foldAttemptBatch(ctx, events, ATTEMPTS, LINK_STATS_ROLLUP, async ({ attempts, buffer }) => {
      const clickLinks = await ClickLinks.load(ctx, events);
      const visitors = await VisitorClicks.load(ctx, events);
      const clicks: ReportEvent[] = [];
      const steps = countedSteps(buffer, clickLinks);
      await applyReportEvents(ctx, 'link_stats_state', events, async (item, state) => {
        const { event } = item;
        if (isAttemptStep(event)) return foldAttemptStep(attempts, steps, event, item.day);
        switch (event.type) {
          case 'LinkDefined':
            await ctx.query(
              `INSERT INTO ${ctx.table('link_stats_links')} (link_id, code) VALUES ($1, $2)
             ON CONFLICT (link_id) DO UPDATE SET code = EXCLUDED.code`,
              [event.data.linkId, event.data.code],
            );
            return;
          case 'LinkClicked': {
            const data = event.data;
            clicks.push(item);
            clickLinks.saw(data);
            visitors.add(data.visitorId, {
              partnerId: data.partnerId,
              linkId: data.linkId,
              adId: data.adId ?? NONE,
              creditable: data.creditable,
              atMs: Date.parse(item.recorded.occurredAt),
              txid: item.recorded.position.transactionId,
              seq: item.recorded.position.sequence,
            });
            return;
          }
          case 'ContactOptedIn':
            onOptIn(visitors, buffer, item, event.data, state);
            return;
        }
      });
      if (clicks.length > 0) await onClicks(ctx, buffer, clicks);
    });
  },
});
