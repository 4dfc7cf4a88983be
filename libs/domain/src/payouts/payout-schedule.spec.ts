import type { LedgerEntry } from '../ledger/ledger';
import { cutoffFor, dueFor } from './payout-schedule';

describe('cutoffFor', () => {
  it('is the end of cutoffDay of the previous month, as an exclusive bound', () => {
    expect(cutoffFor('2026-02-15', 15, 'UTC')).toBe('2026-01-16T00:00:00.000Z');
    expect(cutoffFor('2026-02-03', 15, 'UTC')).toBe('2026-01-16T00:00:00.000Z');
  });

  it('goes back across the year boundary', () => {
    expect(cutoffFor('2026-01-15', 15, 'UTC')).toBe('2025-12-16T00:00:00.000Z');
  });

  it('uses the business timezone', () => {
    expect(cutoffFor('2026-02-15', 15, 'America/New_York')).toBe('2026-01-16T05:00:00.000Z');
    expect(cutoffFor('2026-08-15', 15, 'America/New_York')).toBe('2026-07-16T04:00:00.000Z');
  });

  it('handles the end of February', () => {
    expect(cutoffFor('2026-03-15', 28, 'UTC')).toBe('2026-03-01T00:00:00.000Z');
    expect(cutoffFor('2024-03-15', 28, 'UTC')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('rejects bad input', () => {
    expect(() => cutoffFor('2026-02-30', 15, 'UTC')).toThrow(RangeError);
    expect(() => cutoffFor('2026-02-15', 29, 'UTC')).toThrow(RangeError);
  });
});

describe('dueFor (seed 000: commissions up to January 15 are paid on February 15 from $100)', () => {
  const at = (occurredAt: string, type: LedgerEntry['type'], amountMinor: number): LedgerEntry => ({
    eventId: `event-${type}-${occurredAt}`,
    entryId: `${type}-${occurredAt}`,
    partnerId: 'ann',
    occurredAt,
    type,
    amountMinor,
  });
  const cutoff = cutoffFor('2026-02-15', 15, 'America/New_York');
  const entries = [
    at('2026-01-03T15:00:00.000Z', 'commission', 6000),
    at('2026-01-16T04:30:00.000Z', 'commission', 5000), // 23:30 on January 15 in New York: included
    at('2026-01-16T05:00:00.000Z', 'commission', 3000), // January 16 local: next payout
    at('2026-01-10T00:00:00.000Z', 'clawback', -1500),
    at('2026-01-11T00:00:00.000Z', 'adjustment', 500),
  ];

  it('owes commissions net of clawbacks and adjustments up to the cutoff, eligible from the minimum', () => {
    expect(dueFor(entries, cutoff, 10000)).toEqual({
      earnedThroughCutoff: 10000,
      paidSoFar: 0,
      due: 10000,
      eligible: true,
    });
    expect(dueFor(entries, cutoff, 10001).eligible).toBe(false);
  });

  it('subtracts every payment made so far, even after the cutoff', () => {
    const paid = [...entries, at('2026-01-20T00:00:00.000Z', 'payment', -4000)];
    expect(dueFor(paid, cutoff, 0)).toEqual({
      earnedThroughCutoff: 10000,
      paidSoFar: 4000,
      due: 6000,
      eligible: true,
    });
    const paidInFull = [...paid, at('2026-02-15T00:00:00.000Z', 'payment', -6000)];
    expect(dueFor(paidInFull, cutoff, 0)).toEqual({
      earnedThroughCutoff: 10000,
      paidSoFar: 10000,
      due: 0,
      eligible: false,
    });
  });
});
