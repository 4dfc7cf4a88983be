/** Composing class-validator rules into one named decorator. */
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Several rules as one decorator, listed top to bottom as they would be written one above the other
 * (applied bottom first, like stacked decorators, so the rule reported for a bad value is unchanged).
 */
export const Rules = (...rules: PropertyDecorator[]): PropertyDecorator =>
  applyDecorators(...[...rules].reverse());

/** A named rule on the value alone: `test` passes it, or the field fails with `message`. */
export function ValueRule(
  name: string,
  test: (value: unknown) => boolean,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    { name, validator: { validate: (value: unknown) => test(value), defaultMessage: () => message } },
    options,
  );
}

/** A page size in a query string: 1 to 1000. */
export const IsPageLimit = (): PropertyDecorator =>
  Rules(
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(1000),
  );
