/**
 * Amounts and times as people read them, the same in the printed ledger, the partner emails and the
 * Partner Center (which bundles this file for the browser: plain TypeScript, Intl only).
 */

/** Minor units as the currency is written, e.g. 970 USD -> "$9.70", -485 -> "-$4.85". */
export function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor === 0 ? 0 : minor / 10 ** digits);
}

/** An instant as a local date and time in the timezone, e.g. "2026-01-05 09:10". */
export function formatLocalTime(instant: string, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
