// Money helpers on integer minor units, computed with dinero.js (bigint calculator): products are exact
// and rounded once, half away from zero.
import { add, dinero, halfAwayFromZero, multiply, toSnapshot, transformScale } from 'dinero.js/bigint';
import { DomainRuleViolation } from '../errors/domain-rule-violation';
import type { Rate } from '../programs/program';
import { parsePercent, PPM_HUNDRED_PERCENT } from './percent';

export function isMinorAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** numerator / denominator rounded half away from zero; denominator must be positive. */
export function divideRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator;
  const magnitude = remainder < 0n ? -remainder : remainder;
  if (magnitude * 2n < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

/**
 * Back to a JS number, refusing anything outside the safe integer range rather than losing cents. The
 * request limits (limits.ts) keep every amount inside it; a value beyond (e.g. priced with a program
 * stored before those limits) breaks a rule of the input, not the service: 422 `amount-out-of-range`.
 */
export function toMinor(value: bigint): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) {
    throw new DomainRuleViolation(
      'amount-out-of-range',
      `an amount of ${value} minor units is beyond the exact range (${Number.MAX_SAFE_INTEGER})`,
    );
  }
  return result;
}

/**
 * Amounts here are already minor units of the settlement currency, so dinero works in a unit with
 * exponent 0: the currency itself was checked at the boundary (assertCurrency).
 */
const MINOR_UNIT = { code: 'MINOR', base: 10n, exponent: 0n } as const;
// 100 % = PPM_HUNDRED_PERCENT = 10^6 parts per million, so a rate is the decimal ppm x 10^-6.
const PPM_SCALE = 6n;
if (BigInt(PPM_HUNDRED_PERCENT) !== 10n ** PPM_SCALE)
  throw new Error('percent scale and PPM_HUNDRED_PERCENT disagree');

const minor = (amount: bigint) => dinero({ amount, currency: MINOR_UNIT });

/** `percent` ("12.5") of `baseMinor`, rounded to the minor unit half away from zero. */
export function percentOfMinor(baseMinor: number, percent: string): number {
  const ppm = parsePercent(percent);
  if (ppm === null) throw new RangeError(`invalid percent: ${percent}`);
  assertMinor(baseMinor, 'baseMinor');
  const product = multiply(minor(BigInt(baseMinor)), { amount: BigInt(ppm), scale: PPM_SCALE });
  return toMinor(toSnapshot(transformScale(product, 0n, halfAwayFromZero)).amount);
}

/** Commission of one item line: flat per unit x quantity plus percent of (unit price x quantity). */
export function lineCommissionMinor(rate: Rate, unitPriceMinor: number, quantity: number): number {
  assertMinor(unitPriceMinor, 'unitPriceMinor');
  assertMinor(quantity, 'quantity');
  const baseMinor = toMinor(BigInt(unitPriceMinor) * BigInt(quantity));
  const flatMinor = rate.flat === undefined ? 0n : BigInt(rate.flat) * BigInt(quantity);
  const percentMinor = rate.percent === undefined ? 0 : percentOfMinor(baseMinor, rate.percent);
  return toMinor(flatMinor + BigInt(percentMinor));
}

export function sumMinor(amountsMinor: readonly number[]): number {
  const total = amountsMinor.reduce((sum, amount) => add(sum, minor(BigInt(amount))), minor(0n));
  return toMinor(toSnapshot(total).amount);
}

/** Money in any currency other than the settlement currency is rejected. */
export function assertCurrency(settingsCurrency: string, currency: string, path = 'currency'): void {
  if (currency !== settingsCurrency) {
    throw new DomainRuleViolation(
      'currency-mismatch',
      `currency ${currency} differs from the settlement currency ${settingsCurrency}`,
      path,
    );
  }
}

function assertMinor(value: number, name: string): void {
  if (!isMinorAmount(value))
    throw new RangeError(`${name} must be an integer number of minor units: ${String(value)}`);
}
