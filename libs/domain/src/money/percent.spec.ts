import fc from 'fast-check';
import { formatPercent, isValidPercent, parsePercent } from './percent';

describe('parsePercent', () => {
  it.each([
    ['12.5', 125_000],
    ['100', 1_000_000],
    ['100.0000', 1_000_000],
    ['0', 0],
    ['0.0001', 1],
    ['33.3333', 333_333],
    ['007', 70_000],
  ])('reads %s as %i parts per million', (text, ppm) => {
    expect(parsePercent(text)).toBe(ppm);
  });

  it.each(['100.0001', '12.34567', '-1', '1e2', ' 5', '.5', '5.', 'abc', '', '1000', '12,5'])(
    'rejects %p',
    (text) => {
      expect(parsePercent(text)).toBeNull();
      expect(isValidPercent(text)).toBe(false);
    },
  );

  it('round-trips through formatPercent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (ppm) => {
        expect(parsePercent(formatPercent(ppm))).toBe(ppm);
      }),
    );
    expect(formatPercent(125_000)).toBe('12.5');
    expect(formatPercent(1_000_000)).toBe('100');
  });
});
