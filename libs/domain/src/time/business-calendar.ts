// Local calendar days in the settings timezone, computed with Intl only.
import type { IsoInstant } from './instant';
import { MS_PER_DAY, toEpochMs, toIsoInstant } from './instant';

/** A calendar day, `YYYY-MM-DD`. */
export type LocalDay = string;

const LOCAL_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(timezone: string): boolean {
  if (timezone.trim() === '') return false;
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The days the service accepts in requests: those of the years 1970..9999. */
export const FIRST_DAY: LocalDay = '1970-01-01';
export const LAST_DAY: LocalDay = '9999-12-31';

/** A real calendar day (`2026-02-30` is not), `YYYY-MM-DD`, of any four-digit year. */
export function isLocalDay(day: string): boolean {
  const match = LOCAL_DAY.exec(day);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A real calendar day of the years the service accepts, 1970..9999 (what every request is checked for). */
export function isCalendarDay(day: string): boolean {
  return isLocalDay(day) && day >= FIRST_DAY && day <= LAST_DAY;
}

export function addDaysToLocalDay(day: LocalDay, days: number): LocalDay {
  return formatDay(dayAsUtcMs(day) + days * MS_PER_DAY);
}

/**
 * The local calendar day on which an instant falls in `timezone`. East of UTC the last moments of 9999
 * fall on 10000-01-01, written with five digits (PostgreSQL's `date` reads it; no request may name it).
 */
export function localDayOf(instant: IsoInstant | number, timezone: string): LocalDay {
  const ms = typeof instant === 'number' ? instant : toEpochMs(instant);
  return formatDay(wallClockMs(ms, timezone));
}

const MS_PER_HOUR = 3_600_000;

/**
 * `localDayOf` for many instants of one timezone, as a function: the zone's offset is looked up once
 * per UTC hour when it is the same at both ends of that hour (no zone changes its offset twice
 * within an hour), otherwise per instant. The same days as `localDayOf`, several times faster for a
 * batch of events.
 */
export function localDaysIn(timezone: string): (instant: IsoInstant | number) => LocalDay {
  const offsetByHour = new Map<number, number | null>();
  return (instant) => {
    const ms = typeof instant === 'number' ? instant : toEpochMs(instant);
    const hour = Math.floor(ms / MS_PER_HOUR);
    let offset = offsetByHour.get(hour);
    if (offset === undefined) {
      const atStart = offsetMs(hour * MS_PER_HOUR, timezone);
      offset = atStart === offsetMs((hour + 1) * MS_PER_HOUR - 1, timezone) ? atStart : null;
      offsetByHour.set(hour, offset);
    }
    return formatDay(offset === null ? wallClockMs(ms, timezone) : ms + offset);
  };
}

/** The first instant of a local day (on a DST gap at midnight, the moment the clocks jump). */
export function startOfLocalDay(day: LocalDay, timezone: string): IsoInstant {
  return toIsoInstant(startOfWallDayMs(dayAsUtcMs(day), timezone));
}

/**
 * Inclusive local days `fromDay..toDay` as the half-open instant range [start, end). The end of
 * 9999-12-31 is in the year 10000: JavaScript writes it `+010000-01-01T…` (see sqlInstant in the reports
 * for PostgreSQL).
 */
export function dayRangeToInstants(
  fromDay: LocalDay,
  toDay: LocalDay,
  timezone: string,
): [startInclusive: IsoInstant, endExclusive: IsoInstant] {
  const fromMs = dayAsUtcMs(fromDay);
  const toMs = dayAsUtcMs(toDay);
  if (fromMs > toMs) throw new RangeError(`${fromDay} is after ${toDay}`);
  return [
    toIsoInstant(startOfWallDayMs(fromMs, timezone)),
    toIsoInstant(startOfWallDayMs(toMs + MS_PER_DAY, timezone)),
  ];
}

/** `YYYY-MM-DD` of a UTC-midnight-based wall clock (five digits past 9999). */
function formatDay(wallMs: number): LocalDay {
  const date = new Date(wallMs);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** The first instant, as epoch ms, of the local day whose midnight is `wall` (as if UTC). */
function startOfWallDayMs(wall: number, timezone: string): number {
  const offsetBefore = offsetMs(wall - MS_PER_DAY, timezone);
  const offsetAfter = offsetMs(wall + MS_PER_DAY, timezone);
  // Offsets change at most once around a midnight; of the candidates that show local midnight take the
  // earliest (a repeated midnight), and when none does the day starts at the transition itself.
  const candidates = [wall - offsetBefore, wall - offsetAfter]
    .filter((ms) => wallClockMs(ms, timezone) === wall)
    .sort((a, b) => a - b);
  return candidates[0] ?? wall - offsetBefore;
}

function dayAsUtcMs(day: LocalDay): number {
  if (!isLocalDay(day)) throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${day}`);
  return Date.parse(`${day}T00:00:00Z`);
}

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The local wall-clock time of an instant, expressed as if it were UTC epoch ms. */
function wallClockMs(ms: number, timezone: string): number {
  return ms + offsetMs(ms, timezone);
}

function offsetMs(ms: number, timezone: string): number {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(ms / 1000) * 1000;
}
