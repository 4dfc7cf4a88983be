import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  type Ad,
  type Commission,
  type Ledger,
  type Link,
  type Me,
  type Stats,
  type StatsRow,
  get,
  query,
} from '../api';
import { Bars, Message, RangePicker, type Series, TimeChart } from '../components';
import { count, daysBetween, localDay, money } from '../format';

export const METRICS = [
  ['clicks', 'Clicks'],
  ['uniqueVisitors', 'Unique visitors'],
  ['optIns', 'Opt-ins'],
  ['orders', 'Orders'],
  ['subscriptions', 'Subscriptions'],
  ['declined', 'Declined'],
  ['collected', 'Collected'],
] as const;

type Metric = (typeof METRICS)[number][0];

interface Data {
  byDay: Stats;
  byLink: Stats;
  byAd: Stats;
  ledger: Ledger;
  commissions: Commission[];
  ads: Ad[];
  links: Link[];
}

const sum = (rows: StatsRow[], key: Metric | 'revenue') => rows.reduce((total, row) => total + row[key], 0);

export function Dashboard({
  me,
  range,
  setRange,
}: {
  me: Me;
  range: [string, string];
  setRange: (f: string, t: string) => void;
}): JSX.Element {
  const [from, to] = range;
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setData(null);
    const stats = (groupBy: string) => get<Stats>(`/v1/me/link-stats?${query({ from, to, groupBy })}`);
    Promise.all([
      stats('day'),
      stats('link'),
      stats('ad'),
      get<Ledger>(`/v1/me/ledger?${query({ from, to })}`),
      get<{ commissions: Commission[] }>('/v1/me/commissions'),
      get<Ad[]>('/v1/me/ads'),
      get<Link[]>('/v1/me/links'),
    ])
      .then(([byDay, byLink, byAd, ledger, commissions, ads, links]) =>
        setData({ byDay, byLink, byAd, ledger, commissions: commissions.commissions, ads, links }),
      )
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [from, to]);

  const view = useMemo(() => {
    if (!data) return null;
    const days = daysBetween(from, to);
    const linkName = (id: string | null) =>
      id === null ? 'No link (named or history)' : (data.links.find((l) => l.id === id)?.name ?? id);
    const perDay = (key: Metric | 'revenue') => {
      const totals = new Map<string, number>();
      // Rows grouped by day all carry their day.
      for (const row of data.byDay.rows) {
        if (row.day !== undefined) totals.set(row.day, (totals.get(row.day) ?? 0) + row[key]);
      }
      return days.map((d) => totals.get(d) ?? 0);
    };
    const commissionEntries = data.ledger.entries.filter((e) => e.type === 'commission');
    const commissionPerDay = days.map((d) =>
      commissionEntries
        .filter((e) => localDay(e.occurredAt, me.timezone) === d)
        .reduce((t, e) => t + e.amount, 0),
    );
    const commissionById = new Map(data.commissions.map((c) => [c.commissionId, c]));
    const commissionByLink = new Map<string | null, number>();
    for (const entry of commissionEntries) {
      const linkId = commissionById.get(entry.commissionId ?? '')?.attribution.linkId ?? null;
      commissionByLink.set(linkId, (commissionByLink.get(linkId) ?? 0) + entry.amount);
    }
    const mediumOf = (adId: string | null | undefined) =>
      adId ? (data.ads.find((a) => a.id === adId)?.medium ?? 'other') : 'no ad';
    const byMedium = new Map<string, { clicks: number; revenue: number }>();
    for (const row of data.byAd.rows) {
      const key = mediumOf(row.adId);
      const current = byMedium.get(key) ?? { clicks: 0, revenue: 0 };
      byMedium.set(key, { clicks: current.clicks + row.clicks, revenue: current.revenue + row.revenue });
    }
    const activity: Series[] = [
      { label: 'Clicks', values: perDay('clicks'), color: '#1d4ed8' },
      { label: 'Opt-ins', values: perDay('optIns'), color: '#047857' },
      { label: 'Orders', values: perDay('orders'), color: '#b45309' },
      { label: 'Declined', values: perDay('declined'), color: '#b91c1c' },
    ];
    const moneySeries: Series[] = [
      { label: `Revenue (${me.currency})`, values: perDay('revenue').map((v) => v / 100), color: '#1d4ed8' },
      {
        label: `Commission (${me.currency})`,
        values: commissionPerDay.map((v) => v / 100),
        color: '#047857',
      },
    ];
    return { days, linkName, activity, moneySeries, commissionByLink, byMedium };
  }, [data, from, to, me]);

  return (
    <section>
      <h1>Dashboard</h1>
      <RangePicker from={from} to={to} onChange={setRange} />
      {error ? <Message kind="error">{error}</Message> : null}
      {!data || !view ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <>
          <h2 class="visually-hidden">Totals</h2>
          <dl class="metrics">
            {METRICS.map(([key, label]) => (
              <div class="metric" key={key}>
                <dt>{label}</dt>
                <dd data-metric={key}>{count(sum(data.byLink.rows, key))}</dd>
              </div>
            ))}
            <div class="metric">
              <dt>Revenue</dt>
              <dd data-metric="revenue">{money(sum(data.byLink.rows, 'revenue'), data.byLink.currency)}</dd>
            </div>
            <div class="metric">
              <dt>Commission</dt>
              <dd data-metric="commission">{money(data.ledger.commissions, data.ledger.currency)}</dd>
            </div>
          </dl>
          <h2>Over time</h2>
          <div class="charts">
            <TimeChart
              title="Clicks, opt-ins, orders and declines per day"
              days={view.days}
              series={view.activity}
            />
            <TimeChart title="Revenue and commission per day" days={view.days} series={view.moneySeries} />
          </div>
          <h2>By link</h2>
          <div class="table-scroll">
            <table>
              <caption class="visually-hidden">Activity by link</caption>
              <thead>
                <tr>
                  <th scope="col">Link</th>
                  {METRICS.map(([key, label]) => (
                    <th scope="col" key={key}>
                      {label}
                    </th>
                  ))}
                  <th scope="col">Revenue</th>
                  <th scope="col">Commission</th>
                </tr>
              </thead>
              <tbody>
                {data.byLink.rows.map((row) => (
                  <tr key={row.linkId ?? '-'}>
                    <th scope="row">{view.linkName(row.linkId)}</th>
                    {METRICS.map(([key]) => (
                      <td key={key}>{count(row[key])}</td>
                    ))}
                    <td>{money(row.revenue, data.byLink.currency)}</td>
                    <td>{money(view.commissionByLink.get(row.linkId) ?? 0, data.byLink.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="charts">
            <Bars
              caption="Clicks by link"
              rows={data.byLink.rows.map((r) => ({ label: view.linkName(r.linkId), value: r.clicks }))}
              format={count}
            />
            <Bars
              caption="Clicks by ad medium"
              rows={[...view.byMedium].map(([label, v]) => ({ label, value: v.clicks }))}
              format={count}
            />
            <Bars
              caption="Revenue by ad medium"
              rows={[...view.byMedium].map(([label, v]) => ({ label, value: v.revenue }))}
              format={(n) => money(n, data.byAd.currency)}
            />
          </div>
        </>
      )}
    </section>
  );
}
