import fc from 'fast-check';
import { domainEvent } from '../events/domain-events';
import type { AttemptEvent, KnownAttempt } from '../attempts/attempt.decider';
import { decideRefund, foldAttempt } from '../attempts/attempt.decider';
import type { CommissionEarnedData, PurchaseAttemptedData } from '../events/domain-events';
import { clawedBackSoFarMinor, decideClawbacks } from './clawback';

describe('clawedBackSoFarMinor', () => {
  it('is proportional to the refunded share, rounded half away from zero', () => {
    expect(clawedBackSoFarMinor(333, 500, 1000)).toBe(167); // 166.5
    expect(clawedBackSoFarMinor(333, 1000, 1000)).toBe(333);
    expect(clawedBackSoFarMinor(1, 100, 1000)).toBe(0); // 0.1
    expect(clawedBackSoFarMinor(100, 0, 1000)).toBe(0);
    expect(clawedBackSoFarMinor(100, 10, 0)).toBe(0);
  });
});

describe('decideClawbacks', () => {
  const commissions = [
    { commissionId: 'c-big', partnerId: 'ann', productId: 'p', amountMinor: 333, clawedBackMinor: 0 },
    { commissionId: 'c-tiny', partnerId: 'bob', productId: 'p', amountMinor: 1, clawedBackMinor: 0 },
  ];
  const base = { attemptId: 'a1', refundId: 'r1', currency: 'USD', collectedMinor: 1000 };

  it('records the difference from what was already clawed back and skips zero differences', () => {
    expect(decideClawbacks({ ...base, totalRefundedMinor: 500, commissions })).toEqual([
      {
        commissionId: 'c-big',
        attemptId: 'a1',
        partnerId: 'ann',
        productId: 'p',
        refundId: 'r1',
        amountMinor: 167,
        clawedBackTotalMinor: 167,
        currency: 'USD',
      },
      expect.objectContaining({ commissionId: 'c-tiny', amountMinor: 1, clawedBackTotalMinor: 1 }), // 0.5 -> 1
    ]);
    const second = decideClawbacks({
      ...base,
      refundId: 'r2',
      totalRefundedMinor: 1000,
      commissions: [
        { ...commissions[0]!, clawedBackMinor: 167 },
        { ...commissions[1]!, clawedBackMinor: 1 },
      ],
    });
    expect(second.map((c) => [c.commissionId, c.amountMinor, c.clawedBackTotalMinor])).toEqual([
      ['c-big', 166, 333],
    ]);
  });
});

describe('clawback invariants over refund sequences', () => {
  function collectedAttempt(collectedMinor: number, amounts: number[]): AttemptEvent[] {
    const purchase: PurchaseAttemptedData = {
      attemptId: 'a1',
      orderId: 'o1',
      contactId: 'c1',
      kind: 'order',
      subscriptionId: null,
      visitorId: null,
      partnerCode: null,
      explicitPartnerId: null,
      ip: null,
      email: null,
      currency: 'USD',
      items: [{ productId: 'p', quantity: 1, unitPriceMinor: collectedMinor }],
      totalMinor: collectedMinor,
    };
    const commission = (amountMinor: number, index: number): CommissionEarnedData => ({
      commissionId: `a1:sale:L1:${index}`,
      attemptId: 'a1',
      partnerId: `partner-${index}`,
      productId: 'p',
      role: 'sale',
      level: 1,
      unused: false,
      amountMinor,
      currency: 'USD',
      programId: 'standard',
      rule: 'default',
      rate: { flatMinor: amountMinor, percent: null },
      baseMinor: collectedMinor,
      quantity: 1,
      lineIndex: index,
      attribution: { method: 'explicit', rule: 'last', trackingMethod: 'cookies-only' },
      settingsApplied: {
        attribution: 'last',
        trackingMethod: 'cookies-only',
        levels: 1,
        payIfUnused: false,
        blockSelfReferrals: true,
        payout: { sale: true, lead: false },
      },
      renewalNumber: null,
    });
    return [
      domainEvent('PurchaseAttempted', purchase),
      domainEvent('PaymentCollected', { attemptId: 'a1', amountMinor: collectedMinor, currency: 'USD' }),
      ...amounts.map((amount, index) => domainEvent('CommissionEarned', commission(amount, index))),
    ];
  }

  /** Collected amount, commissions, and refunds (each >= 1) whose sum stays within the collected amount. */
  const scenario = fc
    .integer({ min: 1, max: 5_000_000 })
    .chain((collected) =>
      fc.record({
        collected: fc.constant(collected),
        commissions: fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 4 }),
        cuts: fc.array(fc.integer({ min: 1, max: collected }), { maxLength: 6 }),
        full: fc.boolean(),
      }),
    )
    .map(({ collected, commissions, cuts, full }) => {
      // Sorted distinct cut points turn into positive refunds summing to at most `collected`.
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      if (full && points[points.length - 1] !== collected) points.push(collected);
      const refunds = points.map((point, index) => point - (index === 0 ? 0 : points[index - 1]!));
      return { collected, commissions, refunds };
    });

  it('never claws back more than a commission, only in integers, and exactly all of it after a full refund', () => {
    fc.assert(
      fc.property(scenario, ({ collected, commissions, refunds }) => {
        let events = collectedAttempt(collected, commissions);
        refunds.forEach((amountMinor, index) => {
          const decided = decideRefund(foldAttempt(events), {
            refundId: `r${index}`,
            attemptId: 'a1',
            amountMinor,
            currency: 'USD',
          });
          for (const event of decided) {
            if (event.type !== 'CommissionClawedBack') continue;
            expect(Number.isSafeInteger(event.data.amountMinor)).toBe(true);
            expect(event.data.amountMinor).toBeGreaterThan(0);
          }
          events = [...events, ...decided];
        });
        const state = foldAttempt(events) as KnownAttempt;
        const refunded = refunds.reduce((sum, amount) => sum + amount, 0);
        expect(state.refundedMinor).toBe(refunded);
        for (const { commission, clawedBackMinor } of state.commissions) {
          expect(clawedBackMinor).toBeLessThanOrEqual(commission.amountMinor);
          expect(clawedBackMinor).toBe(clawedBackSoFarMinor(commission.amountMinor, refunded, collected));
          if (refunded === collected) expect(clawedBackMinor).toBe(commission.amountMinor);
        }
      }),
    );
  });
});
