import fc from 'fast-check';
import { dayPieces, instantPieces, singlePeriod } from './periods';

const DAY = 86_400_000;
const BASE = Date.UTC(2023, 10, 20);

const truncate = (kind: 'D' | 'M' | 'Y', at: Date) =>
  kind === 'D'
    ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())
    : kind === 'M'
      ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)
      : Date.UTC(at.getUTCFullYear(), 0, 1);

/** Sums entries through the pieces, as the ledger queries do with period rows and raw entries. */
function viaPieces(entries: readonly { at: number; amount: number }[], from: Date | null, to: Date): number {
  const { runs, raw } = instantPieces(from, to);
  let total = 0;
  for (const run of runs) {
    for (const e of entries) {
      const start = truncate(run.kind, new Date(e.at));
      if ((run.from === null || start >= run.from.getTime()) && start < run.to.getTime()) total += e.amount;
    }
  }
  for (const piece of raw) {
    for (const e of entries) {
      if ((piece.from === null || e.at >= piece.from.getTime()) && e.at < piece.to.getTime())
        total += e.amount;
    }
  }
  return total;
}

describe('instantPieces', () => {
  it('covers [from, to) exactly, with whole periods and less than a day of raw entries at each end', () => {
    const instant = fc.integer({ min: 0, max: 900 * DAY }).map((offset) => BASE + offset);
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: instant, amount: fc.integer({ min: -1000, max: 1000 }) }), {
          maxLength: 60,
        }),
        instant,
        instant,
        fc.boolean(),
        (entries, a, b, open) => {
          const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
          const from = open ? null : new Date(lo);
          const to = new Date(hi);
          const expected = entries
            .filter((e) => (from === null || e.at >= lo) && e.at < hi)
            .reduce((sum, e) => sum + e.amount, 0);
          expect(viaPieces(entries, from, to)).toBe(expected);
          const { runs, raw } = instantPieces(from, to);
          for (const piece of raw)
            expect(piece.to.getTime() - (piece.from?.getTime() ?? 0)).toBeLessThanOrEqual(DAY);
          expect(runs.length + raw.length).toBeLessThanOrEqual(7);
        },
      ),
    );
  });

  it('reads a UTC year from one run of one year, and a local year in Bogota from hours, days, months and hours', () => {
    expect(instantPieces(new Date('2025-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))).toEqual({
      runs: [{ kind: 'Y', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') }],
      raw: [],
    });
    const bogota = instantPieces(new Date('2025-01-01T05:00:00Z'), new Date('2026-01-01T05:00:00Z'));
    expect(bogota.raw).toEqual([
      { from: new Date('2025-01-01T05:00:00Z'), to: new Date('2025-01-02T00:00:00Z') },
      { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-01T05:00:00Z') },
    ]);
    expect(bogota.runs.map((r) => r.kind)).toEqual(['D', 'M']);
  });
});

describe('dayPieces', () => {
  const addDays = (day: string, n: number) =>
    new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

  it('covers [from, to] exactly with days, first days of months and January 1sts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 0, max: 800 }), (offset, length) => {
        const from = addDays('2023-11-20', offset);
        const to = addDays(from, length);
        const covered: string[] = [];
        for (const run of dayPieces(from, to).runs) {
          for (let start = run.from; start <= run.to;) {
            const next =
              run.kind === 'D'
                ? addDays(start, 1)
                : run.kind === 'M'
                  ? new Date(Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)), 1))
                      .toISOString()
                      .slice(0, 10)
                  : `${Number(start.slice(0, 4)) + 1}-01-01`;
            for (let day = start; day < next; day = addDays(day, 1)) covered.push(day);
            start = next;
          }
        }
        const expected: string[] = [];
        for (let day = from; day <= to; day = addDays(day, 1)) expected.push(day);
        expect(covered).toEqual(expected);
        expect(dayPieces(from, to).runs.length).toBeLessThanOrEqual(5);
      }),
    );
  });

  it('knows a whole calendar month or year', () => {
    expect(singlePeriod('2025-06-01', '2025-06-30')).toBe('M');
    expect(singlePeriod('2025-01-01', '2025-12-31')).toBe('Y');
    expect(singlePeriod('2025-06-01', '2025-07-31')).toBeNull();
    expect(singlePeriod('2025-06-16', '2025-06-16')).toBeNull();
    expect(dayPieces('2025-01-01', '2025-12-31').runs).toEqual([
      { kind: 'Y', from: '2025-01-01', to: '2025-01-01' },
    ]);
  });
});
