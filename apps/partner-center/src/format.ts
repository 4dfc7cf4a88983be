/** Amounts, days and times as the Partner Center shows them (minor units, the settings timezone). */
import { addDaysToLocalDay, localDayOf } from '../../../libs/domain/src';

export { formatMoney as money, formatLocalTime as localTime } from '../../../libs/domain/src';

export const count = (n: number): string => new Intl.NumberFormat('en-US').format(n);

/** "5 Jan 09:00" in the timezone. */
export function shortTime(instant: string, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('hour')}:${part('minute')}`;
}

/** The local day (YYYY-MM-DD) of an instant in the timezone. */
export function localDay(instant: string | Date, timezone: string): string {
  return localDayOf(typeof instant === 'string' ? instant : instant.getTime(), timezone);
}

export const addDays = addDaysToLocalDay;

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to && days.length < 1000; day = addDays(day, 1)) days.push(day);
  return days;
}
