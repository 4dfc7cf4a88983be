import fc from 'fast-check';
import type { CommissionEarnedData, DomainEvent } from '../events/domain-events';
import { domainEvent } from '../events/domain-events';
import type { LedgerEntry } from './ledger';
import { ledgerBalance, ledgerEntryFrom, summarizeLedger } from './ledger';

const commissionData = (
  commissionId: string,
  amountMinor: number,
  productId: string,
): CommissionEarnedData => ({
  commissionId,
  attemptId: commissionId.split(':')[0] ?? commissionId,
  partnerId: 'ann',
  productId,
  role: 'sale',
  level: 1,
  unused: false,
  amountMinor,
  currency: 'USD',
  programId: 'standard',
  rule: 'default',
  rate: { flatMinor: null, percent: '50' },
  baseMinor: amountMinor * 2,
  quantity: 1,
  lineIndex: 0,
  attribution: { method: 'cookie', clickId: 'c1', rule: 'last', trackingMethod: 'cookies-only' },
  settingsApplied: {
    attribution: 'last',
    trackingMethod: 'cookies-only',
    levels: 2,
    payIfUnused: false,
    blockSelfReferrals: true,
    payout: { sale: true, lead: false },
  },
  renewalNumber: null,
});

function entry(
  type: LedgerEntry['type'],
  amountMinor: number,
  occurredAt: string,
  entryId = `${type}-${occurredAt}`,
): LedgerEntry {
  return { eventId: `event-${entryId}`, entryId, partnerId: 'ann', occurredAt, type, amountMinor };
}

describe('ledgerEntryFrom', () => {
  it('books a commission positive at the collection time', () => {
    const event = domainEvent('CommissionEarned', commissionData('trial:sale:L1:0', 50, 'san-trial'));
    expect(ledgerEntryFrom(event, '2026-01-05T10:00:00.000Z', 'col-7/commission/trial:sale:L1:0')).toEqual({
      eventId: 'col-7/commission/trial:sale:L1:0',
      entryId: 'trial:sale:L1:0',
      partnerId: 'ann',
      occurredAt: '2026-01-05T10:00:00.000Z',
      type: 'commission',
      amountMinor: 50,
      attemptId: 'trial',
      productId: 'san-trial',
      commissionId: 'trial:sale:L1:0',
      role: 'sale',
      level: 1,
    });
  });

  it('books clawbacks and payments negative, adjustments as signed', () => {
    const clawback = domainEvent('CommissionClawedBack', {
      commissionId: 'a1:sale:L1:0',
      attemptId: 'a1',
      partnerId: 'ann',
      productId: 'premium',
      refundId: 'r1',
      amountMinor: 1500,
      clawedBackTotalMinor: 1500,
      currency: 'USD',
    });
    expect(
      ledgerEntryFrom(clawback, '2026-02-01T00:00:00.000Z', 'ref-1/clawback/a1:sale:L1:0'),
    ).toMatchObject({
      entryId: 'a1:sale:L1:0:r1',
      type: 'clawback',
      amountMinor: -1500,
      occurredAt: '2026-02-01T00:00:00.000Z',
    });
    const paid = domainEvent('PartnerPaid', {
      paymentId: 'pay-1',
      partnerId: 'ann',
      amountMinor: 4000,
      currency: 'USD',
      paymentType: 'check',
      paidAt: '2026-02-15T12:00:00.000Z',
      note: null,
      batchId: 'Batch-20260215',
    });
    expect(ledgerEntryFrom(paid, '2026-02-20T00:00:00.000Z', 'payment-pay-1')).toEqual({
      eventId: 'payment-pay-1',
      entryId: 'pay-1',
      partnerId: 'ann',
      occurredAt: '2026-02-15T12:00:00.000Z', // the business date, not when it was recorded
      type: 'payment',
      amountMinor: -4000,
      paymentType: 'check',
      batchId: 'Batch-20260215',
    });
    const adjusted = domainEvent('LedgerAdjusted', {
      adjustmentId: 'adj-1',
      partnerId: 'ann',
      amountMinor: -250,
      reason: 'duplicate order',
      occurredAt: '2026-01-20T00:00:00.000Z',
    });
    expect(ledgerEntryFrom(adjusted, '2026-03-01T00:00:00.000Z', 'adjustment-adj-1')).toMatchObject({
      type: 'adjustment',
      amountMinor: -250,
      occurredAt: '2026-01-20T00:00:00.000Z',
    });
  });

  it('ignores events that move no money, such as declines and collections', () => {
    expect(
      ledgerEntryFrom(
        domainEvent('PaymentDeclined', { attemptId: 'annual-1', reason: null }),
        '2026-01-05T00:00:00Z',
        'evt-9',
      ),
    ).toBeNull();
    expect(
      ledgerEntryFrom(
        domainEvent('PaymentCollected', { attemptId: 'a', amountMinor: 100, currency: 'USD' }),
        '2026-01-05T00:00:00Z',
        'evt-9',
      ),
    ).toBeNull();
  });
});

describe('summarizeLedger', () => {
  const entries = [
    entry('commission', 5000, '2025-12-20T00:00:00.000Z'),
    entry('payment', -2000, '2025-12-31T00:00:00.000Z'),
    entry('commission', 4850, '2026-01-10T00:00:00.000Z'),
    entry('clawback', -1500, '2026-01-12T00:00:00.000Z'),
    entry('adjustment', 300, '2026-01-15T00:00:00.000Z'),
    entry('payment', -3000, '2026-01-20T00:00:00.000Z'),
    entry('commission', 999, '2026-02-01T00:00:00.000Z'), // after the range
  ];

  it('splits the balance before the range from the columns inside it, with a running balance', () => {
    const summary = summarizeLedger(entries, '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z');
    expect(summary).toMatchObject({
      beginningBalance: 3000,
      commissions: 4850,
      clawbacks: 1500,
      adjustments: 300,
      payments: 3000,
      endingBalance: 3000 + 4850 - 1500 + 300 - 3000,
    });
    expect(summary.entries.map((line) => [line.type, line.amountMinor, line.balanceMinor])).toEqual([
      ['commission', 4850, 7850],
      ['clawback', -1500, 6350],
      ['adjustment', 300, 6650],
      ['payment', -3000, 3650],
    ]);
  });

  it('orders entries by time, keeping the given order at equal times', () => {
    const shuffled = [
      entries[3]!,
      entries[2]!,
      entry('payment', -1, '2026-01-10T00:00:00.000Z', 'same-time'),
    ];
    const summary = summarizeLedger(shuffled, '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z');
    expect(summary.entries.map((line) => line.entryId)).toEqual([
      entries[2]!.entryId,
      'same-time',
      entries[3]!.entryId,
    ]);
  });

  it('seed 000: the ledger shows only the collected $1 and $97 sales', () => {
    const log: { event: DomainEvent; at: string }[] = [
      {
        event: domainEvent('PaymentCollected', { attemptId: 'trial', amountMinor: 100, currency: 'USD' }),
        at: '2026-01-05T10:00:00Z',
      },
      {
        event: domainEvent('CommissionEarned', commissionData('trial:sale:L1:0', 50, 'san-trial')),
        at: '2026-01-05T10:00:00Z',
      },
      {
        event: domainEvent('PaymentCollected', { attemptId: 'premium', amountMinor: 9700, currency: 'USD' }),
        at: '2026-01-05T10:05:00Z',
      },
      {
        event: domainEvent('CommissionEarned', commissionData('premium:sale:L1:0', 4850, 'premium')),
        at: '2026-01-05T10:05:00Z',
      },
      ...['annual-1', 'annual-2', 'annual-3'].map((attemptId) => ({
        event: domainEvent('PaymentDeclined', { attemptId, reason: 'card declined' }),
        at: '2026-01-05T10:10:00Z',
      })),
    ];
    const ledger = log
      .map(({ event, at }, index) => ledgerEntryFrom(event, at, `evt-${index}`))
      .filter((e): e is LedgerEntry => e !== null);
    const summary = summarizeLedger(ledger, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
    expect(summary.entries.map((line) => [line.productId, line.amountMinor])).toEqual([
      ['san-trial', 50],
      ['premium', 4850],
    ]);
    expect(summary.endingBalance).toBe(4900);
  });

  it('keeps balance = sum of entries = beginning + commissions - clawbacks + adjustments - payments', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const anEntry = fc
      .record({
        type: fc.constantFrom(
          'commission' as const,
          'clawback' as const,
          'adjustment' as const,
          'payment' as const,
        ),
        magnitude: fc.integer({ min: 1, max: 1_000_000 }),
        negativeAdjustment: fc.boolean(),
        offsetMs: fc.integer({ min: 0, max: 90 * 86_400_000 }),
      })
      .map(({ type, magnitude, negativeAdjustment, offsetMs }) => {
        const sign = type === 'commission' || (type === 'adjustment' && !negativeAdjustment) ? 1 : -1;
        return entry(type, sign * magnitude, new Date(start + offsetMs).toISOString());
      });
    fc.assert(
      fc.property(
        fc.array(anEntry, { maxLength: 40 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 90 }),
        (all, a, b) => {
          const [from, to] = [Math.min(a, b), Math.max(a, b)].map((day) =>
            new Date(start + day * 86_400_000).toISOString(),
          ) as [string, string];
          const summary = summarizeLedger(all, from, to);
          const { beginningBalance, commissions, clawbacks, adjustments, payments, endingBalance } = summary;
          expect(endingBalance).toBe(beginningBalance + commissions - clawbacks + adjustments - payments);
          expect(clawbacks).toBeGreaterThanOrEqual(0);
          expect(payments).toBeGreaterThanOrEqual(0);
          const upToEnd = all.filter((e) => Date.parse(e.occurredAt) < Date.parse(to));
          expect(endingBalance).toBe(ledgerBalance(upToEnd));
          expect(summary.entries.at(-1)?.balanceMinor ?? beginningBalance).toBe(endingBalance);
          const everything = summarizeLedger(
            all,
            new Date(start).toISOString(),
            new Date(start + 91 * 86_400_000).toISOString(),
          );
          expect(everything.endingBalance).toBe(all.reduce((sum, e) => sum + e.amountMinor, 0));
        },
      ),
    );
  });
});
