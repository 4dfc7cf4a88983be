// Instants cross this library's boundary as ISO-8601 UTC strings (what events store);
// functions turn them into epoch milliseconds to compare and add.
export type IsoInstant = string;

export const MS_PER_DAY = 86_400_000;

/** The calendar the service accepts: instants in the years 1970..9999 (UTC). */
export const FIRST_INSTANT_MS = 0;
/** 9999-12-31T23:59:59.999Z, the last millisecond of the calendar. */
export const LAST_INSTANT_MS = Date.UTC(10_000, 0, 1) - 1;

const RFC3339_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Epoch milliseconds of an RFC 3339 instant that names a real moment of the calendar, or null. Refused:
 * impossible dates (February 30, April 31, February 29 outside leap years), hour 24, minute or second 60
 * (leap seconds included: JavaScript and PostgreSQL cannot hold them), offsets beyond ±23:59, anything
 * that is not `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, and moments outside 1970-01-01T00:00:00Z ..
 * 9999-12-31T23:59:59.999Z. Fractions beyond milliseconds are truncated, as `Date.parse` does.
 */
export function parseIsoInstant(value: string): number | null {
  const match = RFC3339_INSTANT.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (match[9] !== undefined) {
    const offsetHours = Number(match[10]);
    const offsetRest = Number(match[11]);
    if (offsetHours > 23 || offsetRest > 59) return null;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetRest);
  }
  const millis = match[7] ? Number(match[7].slice(1, 4).padEnd(3, '0')) : 0;
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, millis);
  const ms = wall.getTime() - offsetMinutes * 60_000;
  return ms >= FIRST_INSTANT_MS && ms <= LAST_INSTANT_MS ? ms : null;
}

export function isIsoInstant(value: string): boolean {
  return parseIsoInstant(value) !== null;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function toEpochMs(instant: IsoInstant): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO instant: ${instant}`);
  return ms;
}

/** Normal form used in events: `2026-01-15T10:00:00.000Z`. */
export function toIsoInstant(epochMs: number): IsoInstant {
  return new Date(epochMs).toISOString();
}

export function addDays(instant: IsoInstant, days: number): IsoInstant {
  return toIsoInstant(toEpochMs(instant) + days * MS_PER_DAY);
}
