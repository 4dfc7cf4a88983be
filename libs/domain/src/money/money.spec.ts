import fc from 'fast-check';
import { DomainRuleViolation } from '../errors/domain-rule-violation';
import { isKnownCurrency } from './currencies';
import {
  assertCurrency,
  divideRoundHalfAwayFromZero,
  lineCommissionMinor,
  percentOfMinor,
  sumMinor,
} from './money';
import { MAX_AMOUNT_MINOR, MAX_FLAT_MINOR, MAX_QUANTITY } from './limits';
import { parsePercent } from './percent';

describe('percentOfMinor', () => {
  it.each([
    [1999, '12.5', 250], // 249.875
    [3, '50', 2], // 1.5 rounds away from zero
    [1, '50', 1], // 0.5
    [-1, '50', -1], // -0.5 rounds away from zero, not up
    [-3, '50', -2],
    [1000, '33.3333', 333], // 333.333
    [9700, '30', 2910],
    [100, '0', 0],
    [12345, '100', 12345],
  ])('%i x %s%% = %i', (base, percent, expected) => {
    expect(percentOfMinor(base, percent)).toBe(expected);
  });

  it('refuses malformed percentages and fractional bases', () => {
    expect(() => percentOfMinor(100, '101')).toThrow(RangeError);
    expect(() => percentOfMinor(10.5, '10')).toThrow(RangeError);
  });

  it('is the exact product rounded half away from zero', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (base, ppm) => {
          const percent = `${Math.trunc(ppm / 10_000)}.${String(ppm % 10_000).padStart(4, '0')}`;
          const result = percentOfMinor(base, percent);
          expect(Number.isInteger(result)).toBe(true);
          // |exact - result| <= 1/2, and an exact half went away from zero
          const exact = BigInt(base) * BigInt(parsePercent(percent) ?? -1);
          const error = exact - BigInt(result) * 1_000_000n;
          const absError = error < 0n ? -error : error;
          expect(absError * 2n <= 1_000_000n).toBe(true);
          if (absError * 2n === 1_000_000n)
            expect(Math.abs(result) * 1_000_000 > Math.abs(Number(exact))).toBe(true);
        },
      ),
    );
  });
});

describe('divideRoundHalfAwayFromZero', () => {
  it('rounds halves away from zero in both directions', () => {
    expect(divideRoundHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(divideRoundHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfAwayFromZero(7n, 3n)).toBe(2n);
    expect(divideRoundHalfAwayFromZero(-7n, 3n)).toBe(-2n);
    expect(() => divideRoundHalfAwayFromZero(1n, 0n)).toThrow(RangeError);
  });
});

describe('lineCommissionMinor', () => {
  it('adds flat x quantity to the percentage of unit price x quantity', () => {
    expect(lineCommissionMinor({ flat: 100, percent: '10' }, 9700, 2)).toBe(200 + 1940);
    expect(lineCommissionMinor({ flat: 250 }, 9700, 3)).toBe(750);
    expect(lineCommissionMinor({ percent: '12.5' }, 1999, 1)).toBe(250);
  });

  it('rounds once per line, not per unit', () => {
    // 3 x 5 = 15 at 10% = 1.5 -> 2 for the line (per unit it would be 3 x round(0.5) = 3)
    expect(lineCommissionMinor({ percent: '10' }, 5, 3)).toBe(2);
  });

  it('is a non-negative integer for any valid rate and line', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        (flat, ppm, unitPrice, quantity) => {
          const percent =
            ppm === undefined
              ? undefined
              : `${Math.trunc(ppm / 10_000)}.${String(ppm % 10_000).padStart(4, '0')}`;
          const rate = {
            ...(flat === undefined ? {} : { flat }),
            ...(percent === undefined ? {} : { percent }),
          };
          const amount = lineCommissionMinor(rate, unitPrice, quantity);
          expect(Number.isSafeInteger(amount)).toBe(true);
          expect(amount).toBeGreaterThanOrEqual((flat ?? 0) * quantity);
          expect(amount).toBeLessThanOrEqual((flat ?? 0) * quantity + unitPrice * quantity);
        },
      ),
    );
  });
});

describe('currencies', () => {
  it('accepts the settlement currency and rejects any other with a 422-type violation', () => {
    expect(() => assertCurrency('USD', 'USD')).not.toThrow();
    let thrown: unknown;
    try {
      assertCurrency('USD', 'EUR');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainRuleViolation);
    expect(thrown).toMatchObject({ code: 'currency-mismatch', path: 'currency' });
  });

  it('knows the ISO 4217 codes dinero.js ships, upper case only', () => {
    expect(isKnownCurrency('USD')).toBe(true);
    expect(isKnownCurrency('JPY')).toBe(true);
    expect(isKnownCurrency('BOV')).toBe(true);
    expect(isKnownCurrency('usd')).toBe(false);
    expect(isKnownCurrency('XYZ')).toBe(false);
  });

  it('sums without losing minor units', () => {
    expect(sumMinor([100, -30, 5])).toBe(75);
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(
      expect.objectContaining({ code: 'amount-out-of-range' }),
    );
  });

  it('refuses a product beyond the exact range as a broken rule (422), not as a crash', () => {
    let thrown: unknown;
    try {
      lineCommissionMinor({ flat: Number.MAX_SAFE_INTEGER }, 100, 3);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainRuleViolation);
    expect(thrown).toMatchObject({ code: 'amount-out-of-range' });
  });

  it('keeps the largest line commission the limits allow exact', () => {
    expect(
      lineCommissionMinor(
        { flat: MAX_FLAT_MINOR, percent: '100' },
        MAX_AMOUNT_MINOR / MAX_QUANTITY,
        MAX_QUANTITY,
      ),
    ).toBe(MAX_FLAT_MINOR * MAX_QUANTITY + MAX_AMOUNT_MINOR);
  });
});
