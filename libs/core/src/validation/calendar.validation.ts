/**
 * The one check for every instant and day a request carries (bodies, query strings, envelope data):
 * a real moment or day of the years 1970..9999, or a 400 naming the field. Impossible dates
 * (2026-02-30), hour 24, leap seconds (…T23:59:60Z) and years such as 0000 used to be shifted silently
 * or to fail in PostgreSQL as 500s.
 */
import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isCalendarDay, isIsoInstant } from '@app/domain';
import { ValueRule } from './rules';

export const INSTANT_MESSAGE =
  'must be a real RFC 3339 instant of the years 1970..9999, such as 2026-01-15T10:00:00Z';
export const DAY_MESSAGE = 'must be a real calendar day of the years 1970..9999, YYYY-MM-DD';

/** An RFC 3339 instant that exists (see parseIsoInstant), between 1970 and the end of 9999 (UTC). */
export const IsInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValueRule(
    'isInstant',
    (value) => typeof value === 'string' && isIsoInstant(value),
    INSTANT_MESSAGE,
    options,
  );

/** A calendar day `YYYY-MM-DD` that exists, in the years 1970..9999. */
export const IsDay = (options?: ValidationOptions): PropertyDecorator =>
  ValueRule('isDay', (value) => typeof value === 'string' && isCalendarDay(value), DAY_MESSAGE, options);

/**
 * `to` >= `from` of the same object, checked only when both are days by `isDay` (their own
 * validators say what is wrong otherwise, so a bad day gets one message, not two).
 */
export function IsNotBeforeFrom(isDay: (day: string) => boolean = isCalendarDay): PropertyDecorator {
  return ValidateBy({
    name: 'isNotBeforeFrom',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const from = (args?.object as { from?: unknown } | undefined)?.from;
        if (typeof value !== 'string' || typeof from !== 'string') return true;
        if (!isDay(value) || !isDay(from)) return true;
        return value >= from;
      },
      defaultMessage: () => 'must not be before from',
    },
  });
}
