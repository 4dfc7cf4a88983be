/**
 * Plumbing shared by the report projections: the state row each one keeps (the settings it needs and
 * the last position it applied, so that applying a batch twice changes nothing), and counter upserts.
 */
import { type AttributionRule, type DomainEventType, localDaysIn, type LocalDay } from '@app/domain';
import { type LogPosition, comparePositions } from '@app/event-store';
import type { ProjectionContext } from '@app/projections';
import type { DomainRecordedEvent } from '../../infrastructure/domain-projection';

/** Stands for "no link" and "no ad" inside keys (ids are never empty). */
export const NONE = '';

export const fromKey = (value: string): string | null => (value === NONE ? null : value);

export interface ReportProjectionState {
  /** The settings timezone as of the event being applied: it decides the event's local day. */
  timezone: string;
  attribution: AttributionRule;
  applied: LogPosition;
}

export interface ReportEvent<out T extends DomainEventType = DomainEventType> {
  readonly event: DomainRecordedEvent<T>;
  /** The same event (kept apart for the projections that read its log position or time). */
  readonly recorded: DomainRecordedEvent<T>;
  /** The local day of the event's occurredAt in the settings timezone of that moment in the log. */
  readonly day: LocalDay;
}

/**
 * Applies `events` in log order through `handle`, skipping those the state row says were applied
 * already, and keeps the settings the projection needs up to date from SettingsChanged.
 */
export async function applyReportEvents<T extends DomainEventType>(
  ctx: ProjectionContext,
  stateTable: string,
  events: readonly DomainRecordedEvent<T>[],
  handle: (event: ReportEvent<T>, state: ReportProjectionState) => Promise<void>,
): Promise<void> {
  const table = ctx.table(stateTable);
  const read = () =>
    ctx.query<{ timezone: string; attribution: AttributionRule; applied_txid: string; applied_seq: string }>(
      `SELECT timezone, attribution, applied_txid::text, applied_seq::text FROM ${table}`,
    );
  // The state row is made by the first batch only: later batches read it with one statement.
  let [row] = (await read()).rows;
  if (!row) {
    await ctx.query(`INSERT INTO ${table} (singleton) VALUES (true) ON CONFLICT (singleton) DO NOTHING`);
    [row] = (await read()).rows;
  }
  if (!row) throw new Error(`${table} has no state row right after inserting it`);
  const state: ReportProjectionState = {
    timezone: row.timezone,
    attribution: row.attribution,
    applied: { transactionId: BigInt(row.applied_txid), sequence: BigInt(row.applied_seq) },
  };
  const before = state.applied;
  let dayOf = localDaysIn(state.timezone);
  for (const event of events) {
    if (comparePositions(event.position, state.applied) <= 0) continue;
    const settings = event as DomainRecordedEvent;
    if (settings.type === 'SettingsChanged') {
      state.timezone = settings.data.settings.timezone;
      state.attribution = settings.data.settings.attribution;
      dayOf = localDaysIn(state.timezone);
    }
    await handle({ event, recorded: event, day: dayOf(event.occurredAt) }, state);
    state.applied = event.position;
  }
  if (comparePositions(state.applied, before) === 0) return;
  await ctx.query(
    `UPDATE ${table} SET timezone = $1, attribution = $2, applied_txid = $3, applied_seq = $4`,
    [
      state.timezone,
      state.attribution,
      state.applied.transactionId.toString(),
      state.applied.sequence.toString(),
    ],
  );
}

/** The first day of the calendar month and year of a local day. */
export const monthOf = (day: string): string => `${day.slice(0, 7)}-01`;
export const yearOf = (day: string): string => `${day.slice(0, 4)}-01-01`;

/**
 * Counter deltas of a batch, added up in memory and written at the end of the batch with one
 * statement per table: the daily rollup and its month and year rows in the `*_periods` table.
 * Counters only ever add, and the projections never read these tables while applying, so the
 * result equals bumping them one event at a time.
 */
/** A counter rollup: its daily table and `*_periods` table, the key columns and the counters. */
export interface Rollup<Key extends string = string, Counter extends string = string> {
  readonly daily: string;
  readonly periods: string;
  readonly keys: readonly Key[];
  readonly counters: readonly Counter[];
}

export class RollupBuffer {
  private readonly daily = new Map<string, { key: string[]; day: string; deltas: number[] }>();
  private readonly periods = new Map<
    string,
    { key: string[]; period: 'M' | 'Y'; start: string; deltas: number[] }
  >();

  private readonly columns: readonly string[];

  constructor(private readonly rollup: Rollup) {
    this.columns = rollup.counters;
  }

  private vector(deltas: Readonly<Record<string, number | undefined>>): number[] {
    return this.columns.map((column) => deltas[column] ?? 0);
  }

  private static addTo(into: number[], more: readonly number[]): void {
    // Both are vectors over `columns`: a delta that is not there adds nothing.
    into.forEach((total, i) => {
      into[i] = total + (more[i] ?? 0);
    });
  }

  /** Adds to the row of `day` and to the rows of its month and year. */
  add(key: readonly string[], day: string, deltas: Readonly<Record<string, number | undefined>>): void {
    if (this.vector(deltas).every((d) => d === 0)) return;
    this.addDay(key, day, deltas);
    this.addPeriod(key, 'M', monthOf(day), deltas);
    this.addPeriod(key, 'Y', yearOf(day), deltas);
  }

  /** Adds to the row of `day` only (a distinct count of a day is not part of its month's). */
  addDay(key: readonly string[], day: string, deltas: Readonly<Record<string, number | undefined>>): void {
    const vector = this.vector(deltas);
    if (vector.every((d) => d === 0)) return;
    const id = JSON.stringify([...key, day]);
    const row = this.daily.get(id) ?? { key: [...key], day, deltas: this.columns.map(() => 0) };
    RollupBuffer.addTo(row.deltas, vector);
    this.daily.set(id, row);
  }

  /** Adds to one month or year row only. */
  addPeriod(
    key: readonly string[],
    period: 'M' | 'Y',
    start: string,
    deltas: Readonly<Record<string, number | undefined>>,
  ): void {
    const vector = this.vector(deltas);
    if (vector.every((d) => d === 0)) return;
    const id = JSON.stringify([...key, period, start]);
    const row = this.periods.get(id) ?? { key: [...key], period, start, deltas: this.columns.map(() => 0) };
    RollupBuffer.addTo(row.deltas, vector);
    this.periods.set(id, row);
  }

  async flush(ctx: ProjectionContext): Promise<void> {
    const keys = this.rollup.keys;
    const cols = this.columns;
    const update = cols.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ');
    const daily = [...this.daily.values()];
    if (daily.length > 0) {
      const n = keys.length;
      await ctx.query(
        `INSERT INTO ${ctx.table(this.rollup.daily)} AS t (${[...keys, 'day', ...cols].join(', ')})
         SELECT * FROM unnest(${[
           ...keys.map((_, i) => `$${i + 1}::text[]`),
           `$${n + 1}::date[]`,
           ...cols.map((_, i) => `$${n + 2 + i}::bigint[]`),
         ].join(', ')})
         ON CONFLICT (${[...keys, 'day'].join(', ')}) DO UPDATE SET ${update}`,
        [
          ...keys.map((_, i) => daily.map((r) => r.key[i])),
          daily.map((r) => r.day),
          ...cols.map((_, i) => daily.map((r) => r.deltas[i])),
        ],
      );
    }
    const periods = [...this.periods.values()];
    if (periods.length > 0) {
      const n = keys.length;
      await ctx.query(
        `INSERT INTO ${ctx.table(this.rollup.periods)} AS t (${[...keys, 'period', 'start', ...cols].join(', ')})
         SELECT * FROM unnest(${[
           ...keys.map((_, i) => `$${i + 1}::text[]`),
           `$${n + 1}::text[]`,
           `$${n + 2}::date[]`,
           ...cols.map((_, i) => `$${n + 3 + i}::bigint[]`),
         ].join(', ')})
         ON CONFLICT (${[...keys, 'period', 'start'].join(', ')}) DO UPDATE SET ${update}`,
        [
          ...keys.map((_, i) => periods.map((r) => r.key[i])),
          periods.map((r) => r.period),
          periods.map((r) => r.start),
          ...cols.map((_, i) => periods.map((r) => r.deltas[i])),
        ],
      );
    }
    this.daily.clear();
    this.periods.clear();
  }
}
