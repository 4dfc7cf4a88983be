import type { SimulationLine } from './attempt-replay';
import { SimulationTotals } from './simulation-totals';

const line = (
  partnerId: string,
  productId: string,
  kind: SimulationLine['kind'],
  amountMinor: number,
): SimulationLine => ({ commissionId: `${partnerId}:${productId}`, partnerId, productId, kind, amountMinor });

describe('SimulationTotals', () => {
  it('adds up both sides per partner and product, sorted, with the differences', () => {
    const totals = new SimulationTotals();
    totals.add('actual', [
      line('ben', 'premium', 'commission', 291),
      line('amy', 'premium', 'commission', 970),
    ]);
    totals.add('actual', [line('amy', 'premium', 'clawback', 485)]);
    totals.add('simulated', [
      line('amy', 'premium', 'commission', 1940),
      line('amy', 'premium', 'clawback', 970),
    ]);
    totals.add('simulated', [line('cat', 'premium', 'commission', 97)]);

    const summary = totals.summary();

    expect(summary.rows.map((r) => r.partnerId)).toEqual(['amy', 'ben', 'cat']);
    expect(summary.rows[0]).toEqual({
      partnerId: 'amy',
      productId: 'premium',
      actual: { commissionsMinor: 970, clawbacksMinor: 485, netMinor: 485 },
      simulated: { commissionsMinor: 1940, clawbacksMinor: 970, netMinor: 970 },
      difference: { commissionsMinor: 970, clawbacksMinor: 485, netMinor: 485 },
    });
    expect(summary.rows[1]?.difference).toEqual({
      commissionsMinor: -291,
      clawbacksMinor: 0,
      netMinor: -291,
    });
    expect(summary.actual).toEqual({ commissionsMinor: 1261, clawbacksMinor: 485, netMinor: 776 });
    expect(summary.simulated).toEqual({ commissionsMinor: 2037, clawbacksMinor: 970, netMinor: 1067 });
    expect(summary.difference).toEqual({ commissionsMinor: 776, clawbacksMinor: 485, netMinor: 291 });
  });

  it('keeps only the partners asked for', () => {
    const totals = new SimulationTotals(new Set(['ben']));
    totals.add('actual', [line('amy', 'p', 'commission', 1), line('ben', 'p', 'commission', 2)]);
    expect(totals.summary().rows.map((r) => r.partnerId)).toEqual(['ben']);
    expect(totals.summary().actual.commissionsMinor).toBe(2);
  });
});
