import type { LedgerSummary } from '../ledger/ledger';
import { defaultBatchId, payoutAmount, planPayoutBatch, skipReason } from './payout-methods';

describe('payoutAmount (seed 002)', () => {
  const summary: LedgerSummary = {
    beginningBalance: -700, // a clawback from an earlier return
    commissions: 12000,
    clawbacks: 1000,
    adjustments: 500,
    payments: 2000,
    endingBalance: -700 + 12000 - 1000 + 500 - 2000,
    entries: [],
  };

  it('pays the commission earned in the range, net of clawbacks and adjustments', () => {
    expect(payoutAmount('earned-in-range', summary)).toBe(11500);
  });

  it('adds the beginning balance, which may be negative', () => {
    expect(payoutAmount('beginning-plus-earned', summary)).toBe(10800);
  });

  it('pays the ending balance', () => {
    expect(payoutAmount('ending-balance', summary)).toBe(8800);
  });
});

describe('skipReason', () => {
  it.each([
    [0, 0, 'zero'],
    [-5, 0, 'negative'],
    [-5, 1000, 'negative'],
    [999, 1000, 'below-minimum'],
    [1000, 1000, null],
    [1, 0, null],
  ])('amount %i with minimum %i -> %p', (amount, minimum, reason) => {
    expect(skipReason(amount, minimum)).toBe(reason);
  });
});

describe('batches', () => {
  it('names a batch after the local payment day', () => {
    expect(defaultBatchId('2015-06-24')).toBe('Batch-20150624');
    expect(() => defaultBatchId('2015-6-24')).toThrow(RangeError);
  });

  it('pays eligible partners, lists the skipped ones with the reason, and totals the payments', () => {
    const { batch, payments } = planPayoutBatch({
      batchId: 'Batch-20260215',
      method: 'ending-balance',
      from: '2026-01-01',
      to: '2026-01-31',
      payDate: null,
      cutoff: null,
      paidAt: '2026-02-15T17:00:00.000Z',
      paymentType: 'paypal',
      minimumAmountMinor: 1000,
      currency: 'USD',
      candidates: [
        { partnerId: 'zed', amountMinor: 5000 },
        { partnerId: 'ann', amountMinor: 12000 },
        { partnerId: 'bob', amountMinor: 0 },
        { partnerId: 'cat', amountMinor: -300 },
        { partnerId: 'dan', amountMinor: 999 },
      ],
    });
    expect(batch.payments).toEqual([
      { partnerId: 'ann', amountMinor: 12000, paymentId: 'Batch-20260215:ann' },
      { partnerId: 'zed', amountMinor: 5000, paymentId: 'Batch-20260215:zed' },
    ]);
    expect(batch.skipped).toEqual([
      { partnerId: 'bob', amountMinor: 0, reason: 'zero' },
      { partnerId: 'cat', amountMinor: -300, reason: 'negative' },
      { partnerId: 'dan', amountMinor: 999, reason: 'below-minimum' },
    ]);
    expect(batch.totalMinor).toBe(17000);
    expect(payments[0]).toEqual({
      paymentId: 'Batch-20260215:ann',
      partnerId: 'ann',
      amountMinor: 12000,
      currency: 'USD',
      paymentType: 'paypal',
      paidAt: '2026-02-15T17:00:00.000Z',
      note: null,
      batchId: 'Batch-20260215',
    });
  });
});
