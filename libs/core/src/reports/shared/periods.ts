/**
 * Rollups per period, so that a report's cost does not grow with its range: a range is cut into at
 * most a few runs of whole years, whole months and whole days (read from rollup rows) plus, for
 * instants, less than a day at each end (read from the entries themselves).
 *
 * - Ledger (instants): periods are UTC days, months and years of `occurred_at`.
 * - Daily rollups (local days): periods are the calendar months and years of the row's local day.
 */

export type PeriodKind = 'D' | 'M' | 'Y';

/** Periods of one kind whose start lies in [from, to) (from null: no lower bound). */
export interface PeriodRun<T> {
  readonly kind: PeriodKind;
  readonly from: T | null;
  readonly to: T;
}

export interface InstantPieces {
  readonly runs: PeriodRun<Date>[];
  /** [from, to) read from the entries: never more than a day at each end. */
  readonly raw: { from: Date | null; to: Date }[];
}

const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const startOfUtcMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
function startOfUtcYear(d: Date): Date {
  const year = new Date(0);
  year.setUTCFullYear(d.getUTCFullYear(), 0, 1);
  return year;
}
function next(kind: PeriodKind, d: Date): Date {
  const n = new Date(d.getTime());
  if (kind === 'D') n.setUTCDate(n.getUTCDate() + 1);
  else if (kind === 'M') n.setUTCMonth(n.getUTCMonth() + 1);
  else n.setUTCFullYear(n.getUTCFullYear() + 1);
  return n;
}
const aligned = (kind: PeriodKind, d: Date) =>
  (kind === 'D' ? startOfUtcDay(d) : kind === 'M' ? startOfUtcMonth(d) : startOfUtcYear(d)).getTime() ===
  d.getTime();

function push<T>(
  runs: PeriodRun<T>[],
  kind: PeriodKind,
  from: T | null,
  to: T,
  same: (a: T, b: T) => boolean,
) {
  const last = runs[runs.length - 1];
  if (last && last.kind === kind && from !== null && same(last.to, from))
    runs[runs.length - 1] = { kind, from: last.from, to };
  else runs.push({ kind, from, to });
}

const sameTime = (a: Date, b: Date) => a.getTime() === b.getTime();

/** [from, to) of instants; from null means "since the beginning". */
export function instantPieces(from: Date | null, to: Date): InstantPieces {
  const runs: PeriodRun<Date>[] = [];
  const raw: { from: Date | null; to: Date }[] = [];
  let cursor: Date;
  if (from === null) {
    // Everything before `to`: whole years, then months, then days, then the start of to's day.
    const year = startOfUtcYear(to);
    const month = startOfUtcMonth(to);
    const day = startOfUtcDay(to);
    runs.push({ kind: 'Y', from: null, to: year });
    if (month > year) runs.push({ kind: 'M', from: year, to: month });
    if (day > month) runs.push({ kind: 'D', from: month, to: day });
    if (to > day) raw.push({ from: day, to });
    return { runs, raw };
  }
  cursor = from;
  if (!aligned('D', cursor)) {
    const end = new Date(Math.min(to.getTime(), next('D', startOfUtcDay(cursor)).getTime()));
    raw.push({ from: cursor, to: end });
    cursor = end;
  }
  while (cursor < to) {
    const kind: PeriodKind | null =
      aligned('Y', cursor) && next('Y', cursor) <= to
        ? 'Y'
        : aligned('M', cursor) && next('M', cursor) <= to
          ? 'M'
          : next('D', cursor) <= to
            ? 'D'
            : null;
    if (kind === null) {
      raw.push({ from: cursor, to });
      break;
    }
    const end = next(kind, cursor);
    push(runs, kind, cursor, end, sameTime);
    cursor = end;
  }
  return { runs, raw };
}

// ---- local days ('YYYY-MM-DD'), inclusive ranges --------------------------------------------------

export interface DayPieces {
  /** Runs of days, months (first days) and years (January 1sts), each [from, to] inclusive. */
  readonly runs: { kind: PeriodKind; from: string; to: string }[];
}

const toDate = (day: string) => new Date(`${day}T00:00:00.000Z`);
const toDay = (d: Date) => d.toISOString().slice(0, 10);

/** Cuts [fromDay, toDay] into runs of whole years, whole months and single days. */
export function dayPieces(fromDay: string, toDayInclusive: string): DayPieces {
  const end = next('D', toDate(toDayInclusive));
  const runs: { kind: PeriodKind; from: string; to: string }[] = [];
  let cursor = toDate(fromDay);
  while (cursor < end) {
    const kind: PeriodKind =
      aligned('Y', cursor) && next('Y', cursor) <= end
        ? 'Y'
        : aligned('M', cursor) && next('M', cursor) <= end
          ? 'M'
          : 'D';
    const after = next(kind, cursor);
    const last = runs[runs.length - 1];
    const start = toDay(cursor);
    // A run holds the first day of its last period as `to` (rollup rows are keyed by their first day).
    if (last && last.kind === kind && toDay(next(kind, toDate(last.to))) === start) last.to = start;
    else runs.push({ kind, from: start, to: start });
    cursor = after;
  }
  return { runs };
}

/** True when [fromDay, toDay] is exactly one calendar month or one calendar year. */
export function singlePeriod(fromDay: string, toDayInclusive: string): PeriodKind | null {
  const { runs } = dayPieces(fromDay, toDayInclusive);
  const only = runs.length === 1 ? runs[0] : undefined;
  if (!only || only.from !== only.to) return null;
  return only.kind === 'D' ? null : only.kind;
}

/**
 * The rows of a daily rollup and its `*_periods` table that together cover [fromDay, toDay], as one
 * relation with `columns`: daily rows for single days, month and year rows for whole periods. Values
 * are added to `params`; `filter` is appended to every WHERE (e.g. a partner).
 */
export function rollupRows(
  dailyTable: string,
  periodsTable: string,
  columns: readonly string[],
  fromDay: string,
  toDayInclusive: string,
  params: unknown[],
  filter = '',
): string {
  const param = (value: string) => {
    params.push(value);
    return `$${params.length}::date`;
  };
  const list = columns.join(', ');
  return dayPieces(fromDay, toDayInclusive)
    .runs.map((run) =>
      run.kind === 'D'
        ? `SELECT ${list} FROM ${dailyTable} WHERE day BETWEEN ${param(run.from)} AND ${param(run.to)}${filter}`
        : `SELECT ${list} FROM ${periodsTable}
            WHERE period = '${run.kind}' AND start BETWEEN ${param(run.from)} AND ${param(run.to)}${filter}`,
    )
    .join('\n UNION ALL ');
}
