/**
 * Reading a counter rollup over a report window: its rows summed per key, a few rows per key
 * (days, months and years) whatever the length of the range.
 */
import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@app/platform';
import { rollupRows } from './periods';
import type { ReportRangeRequest } from './report-range.request';
import type { Rollup } from './report-projection';
import { type ReportWindow, ReportWindows } from './report-window';

/** A report over a range of local days, in the settlement currency. */
export interface RangeReport<Row> {
  from: string;
  to: string;
  currency: string;
  rows: Row[];
}

/** One row of a rollup summed per key, every column as text. */
type SummedRow<Key extends string, Counter extends string> = Record<Key | Counter, string>;

/** The partner condition appended to every WHERE of a rollup read; its value goes to `params`. */
export function partnerFilter(partnerId: string | undefined, params: unknown[]): string {
  if (partnerId === undefined) return '';
  params.push(partnerId);
  return ` AND partner_id = $${params.length}`;
}

/** The counters of `rollup` summed per key over the window's days, in key order. */
async function sumRollup<Key extends string, Counter extends string>(
  db: Queryable,
  rollup: Rollup<Key, Counter>,
  window: ReportWindow,
  partnerId: string | undefined,
): Promise<SummedRow<Key, Counter>[]> {
  const params: unknown[] = [];
  const filter = partnerFilter(partnerId, params);
  const source = rollupRows(
    rollup.daily,
    rollup.periods,
    [...rollup.keys, ...rollup.counters],
    window.from,
    window.to,
    params,
    filter,
  );
  const keys = rollup.keys.join(', ');
  const sums = rollup.counters.map((counter) => `sum(${counter})::text AS ${counter}`).join(', ');
  const { rows } = await db.query<SummedRow<Key, Counter>>(
    `SELECT ${keys}, ${sums} FROM (${source}) r
      GROUP BY ${keys}
      ORDER BY ${rollup.keys.map((key) => `${key} COLLATE "C"`).join(', ')}`,
    params,
  );
  return rows;
}

/** The reports that are one rollup summed per key over the requested days (optionally of one partner). */
@Injectable()
export class RollupReports {
  constructor(
    private readonly database: Database,
    private readonly windows: ReportWindows,
  ) {}

  async read<Key extends string, Counter extends string, Row>(
    request: ReportRangeRequest,
    rollup: Rollup<Key, Counter>,
    toRow: (row: SummedRow<Key, Counter>) => Row,
  ): Promise<RangeReport<Row>> {
    const window = await this.windows.open(request);
    const rows = await sumRollup(this.database, rollup, window, request.partnerId);
    return { from: window.from, to: window.to, currency: window.currency, rows: rows.map(toRow) };
  }
}
