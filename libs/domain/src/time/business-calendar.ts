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

export function isLocalDay(day: string): boolean {
  const match = LOCAL_DAY.exec(day);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function addDaysToLocalDay(day: LocalDay, days: number): LocalDay {
  return new Date(dayAsUtcMs(day) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The local calendar day on which an instant falls in `timezone`. */
export function localDayOf(instant: IsoInstant | number, timezone: string): LocalDay {
  const ms = typeof instant === 'number' ? instant : toEpochMs(instant);
  return new Date(wallClockMs(ms, timezone)).toISOString().slice(0, 10);
}

/** The first instant of a local day (on a DST gap at midnight, the moment the clocks jump). */
export function startOfLocalDay(day: LocalDay, timezone: string): IsoInstant {
  const wall = dayAsUtcMs(day);
  const offsetBefore = offsetMs(wall - MS_PER_DAY, timezone);
  const offsetAfter = offsetMs(wall + MS_PER_DAY, timezone);
  // Offsets change at most once around a midnight; of the candidates that show local midnight take the
  // earliest (a repeated midnight), and when none does the day starts at the transition itself.
  const candidates = [wall - offsetBefore, wall - offsetAfter]
    .filter((ms) => wallClockMs(ms, timezone) === wall)
    .sort((a, b) => a - b);
  return toIsoInstant(candidates[0] ?? wall - offsetBefore);
}

/** Inclusive local days `fromDay..toDay` as the half-open instant range [start, end). */
export function dayRangeToInstants(
  fromDay: LocalDay,
  toDay: LocalDay,
  timezone: string,
): [startInclusive: IsoInstant, endExclusive: IsoInstant] {
  if (dayAsUtcMs(fromDay) > dayAsUtcMs(toDay)) throw new RangeError(`${fromDay} is after ${toDay}`);
  return [startOfLocalDay(fromDay, timezone), startOfLocalDay(addDaysToLocalDay(toDay, 1), timezone)];
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
