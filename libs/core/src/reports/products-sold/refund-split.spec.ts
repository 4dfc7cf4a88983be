import fc from 'fast-check';
import { refundSharesMinor, refundedPerLineMinor } from './refund-split';

describe('refundedPerLineMinor', () => {
  it('splits in proportion to line totals, half away from zero, the last line taking the remainder', () => {
    expect(refundedPerLineMinor([100, 9700], 4900)).toEqual([50, 4850]);
    expect(refundedPerLineMinor([1, 2], 2)).toEqual([1, 1]);
    expect(refundedPerLineMinor([1, 1, 1, 1, 1, 1], 3)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(refundedPerLineMinor([500, 500], 1)).toEqual([1, 0]);
  });

  it('gives back exactly each line total on a full refund', () => {
    expect(refundedPerLineMinor([333, 333, 334], 1000)).toEqual([333, 333, 334]);
  });

  it('splits nothing when the attempt is free or nothing was refunded', () => {
    expect(refundedPerLineMinor([0, 0], 0)).toEqual([0, 0]);
    expect(refundedPerLineMinor([100], 0)).toEqual([0]);
  });

  it('never goes negative or above a line, and always adds up to the refund', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (lines, fraction) => {
          const total = lines.reduce((a, b) => a + b, 0);
          fc.pre(total > 0);
          const refunded = Math.floor(total * fraction);
          const shares = refundedPerLineMinor(lines, refunded);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(refunded);
          shares.forEach((share, i) => {
            expect(share).toBeGreaterThanOrEqual(0);
            expect(share).toBeLessThanOrEqual(lines[i]!);
          });
        },
      ),
    );
  });
});

describe('refundSharesMinor', () => {
  it('gives each refund the difference of the cumulative split, so partial refunds add up to a full one', () => {
    const lines = [100, 200, 700];
    const first = refundSharesMinor(lines, 0, 333);
    const second = refundSharesMinor(lines, 333, 667);
    expect(first.reduce((a, b) => a + b, 0)).toBe(333);
    expect(first.map((share, i) => share + second[i]!)).toEqual(lines);
  });
});
