import type { AttemptAttributedData, PurchaseAttemptedData } from '../events/domain-events';
import { domainEvent } from '../events/domain-events';
import { DeciderSpecification } from '../testing/decider-specification';
import { aPartner, aProgram, aRule, byId, settingsWith } from '../testing/fixtures';
import type { AttemptCommand, AttemptEvent, CollectPayment } from './attempt.decider';
import { attemptDecider, foldAttempt } from './attempt.decider';

const given = DeciderSpecification.for(attemptDecider);

const context: CollectPayment['context'] = {
  partners: byId(aPartner('ann')),
  programsById: byId(aProgram('standard', { default: aRule({ sale: [{ percent: '50' }] }) })),
  settings: settingsWith(),
  collectedRenewalsBefore: 0,
};

function purchase(attemptId: string, productId: string, unitPriceMinor: number): PurchaseAttemptedData {
  return {
    attemptId,
    orderId: `order-${attemptId}`,
    contactId: 'john-smith',
    kind: 'order',
    subscriptionId: null,
    visitorId: 'v-john',
    partnerCode: null,
    explicitPartnerId: null,
    ip: null,
    email: 'john@example.com',
    currency: 'USD',
    items: [{ productId, quantity: 1, unitPriceMinor }],
    totalMinor: unitPriceMinor,
  };
}

function attributedToAnn(attemptId: string): AttemptAttributedData {
  return {
    attemptId,
    salePartnerId: 'ann',
    leadPartnerId: null,
    saleAttribution: {
      method: 'cookie',
      clickId: 'click-1',
      linkId: 'san',
      clickedAt: '2026-01-02T10:00:00.000Z',
      rule: 'last',
      trackingMethod: 'cookies-only',
    },
    leadAttribution: null,
    renewalOf: null,
  };
}

const attempted = (attemptId: string, productId: string, priceMinor: number): AttemptEvent[] => [
  domainEvent('PurchaseAttempted', purchase(attemptId, productId, priceMinor)),
  domainEvent('AttemptAttributed', attributedToAnn(attemptId)),
];

const collect = (attemptId: string): AttemptCommand => ({
  type: 'CollectPayment',
  data: { attemptId, context },
});
const decline = (attemptId: string): AttemptCommand => ({
  type: 'DeclinePayment',
  data: { attemptId, reason: 'card declined' },
});
const refund = (
  attemptId: string,
  refundId: string,
  amountMinor: number,
  currency = 'USD',
): AttemptCommand => ({
  type: 'IssueRefund',
  data: { refundId, attemptId, amountMinor, currency },
});

const collectedEvents = (attemptId: string, productId: string, priceMinor: number) => {
  const events = attempted(attemptId, productId, priceMinor);
  return [...events, ...attemptDecider.decide(collect(attemptId), foldAttempt(events))];
};

describe('seed 000: John Smith buys the trial and premium, the annual plan is declined three times', () => {
  it('collects the $1 trial with its commission', () => {
    given(attempted('trial', 'san-trial', 100))
      .when(collect('trial'))
      .thenEvents((events) => {
        expect(events.map((e) => e.type)).toEqual(['PaymentCollected', 'CommissionEarned']);
        expect(events[0]).toEqual(
          domainEvent('PaymentCollected', { attemptId: 'trial', amountMinor: 100, currency: 'USD' }),
        );
        expect(events[1]).toMatchObject({
          data: { partnerId: 'ann', productId: 'san-trial', amountMinor: 50 },
        });
      });
  });

  it('collects the $97 premium with its commission', () => {
    given(attempted('premium', 'premium', 9700))
      .when(collect('premium'))
      .thenEvents((events) => {
        expect(events.filter((e) => e.type === 'CommissionEarned')).toEqual([
          expect.objectContaining({
            data: expect.objectContaining({ commissionId: 'premium:sale:L1:0', amountMinor: 4850 }),
          }),
        ]);
      });
  });

  it.each(['annual-1', 'annual-2', 'annual-3'])('declines %s with no commission', (attemptId) => {
    given(attempted(attemptId, 'annual', 29700))
      .when(decline(attemptId))
      .then([domainEvent('PaymentDeclined', { attemptId, reason: 'card declined' })]);
  });
});

describe('one outcome per attempt', () => {
  it('rejects an unknown attempt', () => {
    given([]).when(collect('nope')).thenThrows('unknown-attempt', 'attemptId');
    given([]).when(decline('nope')).thenThrows('unknown-attempt');
    given([])
      .when(refund('nope', 'r1', 10))
      .thenThrows('unknown-attempt');
  });

  it('rejects collecting twice and declining after a collection', () => {
    const collected = collectedEvents('a1', 'premium', 9700);
    given(collected).when(collect('a1')).thenThrows('already-collected');
    given(collected).when(decline('a1')).thenThrows('already-collected');
  });

  it('rejects collecting or declining after a decline', () => {
    const declined = [
      ...attempted('a1', 'annual', 29700),
      domainEvent('PaymentDeclined', { attemptId: 'a1', reason: null }),
    ];
    given(declined).when(collect('a1')).thenThrows('already-declined');
    given(declined).when(decline('a1')).thenThrows('already-declined');
  });

  it('collects without commissions when nobody was credited', () => {
    const unattributed: AttemptEvent[] = [
      domainEvent('PurchaseAttempted', purchase('a1', 'premium', 9700)),
      domainEvent('AttemptAttributed', {
        ...attributedToAnn('a1'),
        salePartnerId: null,
        saleAttribution: null,
      }),
    ];
    given(unattributed)
      .when(collect('a1'))
      .then([domainEvent('PaymentCollected', { attemptId: 'a1', amountMinor: 9700, currency: 'USD' })]);
  });
});

describe('refunds', () => {
  const collected = collectedEvents('a1', 'premium', 9700); // commission 4850

  it('records a partial refund with a proportional clawback', () => {
    given(collected)
      .when(refund('a1', 'r1', 3000))
      .then([
        domainEvent('RefundIssued', { refundId: 'r1', attemptId: 'a1', amountMinor: 3000, currency: 'USD' }),
        domainEvent('CommissionClawedBack', {
          commissionId: 'a1:sale:L1:0',
          attemptId: 'a1',
          partnerId: 'ann',
          productId: 'premium',
          refundId: 'r1',
          amountMinor: 1500, // 4850 x 3000 / 9700 = 1500
          clawedBackTotalMinor: 1500,
          currency: 'USD',
        }),
      ]);
  });

  it('claws back the rest exactly on the refund that completes a full refund', () => {
    const afterFirst = [
      ...collected,
      ...attemptDecider.decide(refund('a1', 'r1', 3333), foldAttempt(collected)),
    ];
    given(afterFirst)
      .when(refund('a1', 'r2', 6367))
      .thenEvents((events) => {
        const clawback = events.find((e) => e.type === 'CommissionClawedBack');
        // first refund: round(4850 x 3333 / 9700) = round(1666.5) = 1667
        expect(clawback?.data).toMatchObject({ amountMinor: 4850 - 1667, clawedBackTotalMinor: 4850 });
      });
  });

  it('refuses refunds on pending or declined attempts', () => {
    given(attempted('a1', 'premium', 9700))
      .when(refund('a1', 'r1', 100))
      .thenThrows('refund-not-allowed');
    const declined = [
      ...attempted('a1', 'premium', 9700),
      domainEvent('PaymentDeclined', { attemptId: 'a1', reason: null }),
    ];
    given(declined)
      .when(refund('a1', 'r1', 100))
      .thenThrows('refund-not-allowed');
  });

  it('refuses more than collected minus refunded so far', () => {
    given(collected)
      .when(refund('a1', 'r1', 9701))
      .thenThrows('refund-exceeds-collected', 'amount');
    const halfRefunded = [
      ...collected,
      ...attemptDecider.decide(refund('a1', 'r1', 5000), foldAttempt(collected)),
    ];
    given(halfRefunded)
      .when(refund('a1', 'r2', 4701))
      .thenThrows('refund-exceeds-collected');
    given(halfRefunded)
      .when(refund('a1', 'r2', 4700))
      .thenEvents((events) => expect(events[0]?.type).toBe('RefundIssued'));
  });

  it('refuses a refund in another currency and non-positive amounts', () => {
    given(collected)
      .when(refund('a1', 'r1', 100, 'EUR'))
      .thenThrows('currency-mismatch', 'currency');
    given(collected)
      .when(refund('a1', 'r1', 0))
      .thenThrows('invalid-amount');
    given(collected)
      .when(refund('a1', 'r1', 1.5))
      .thenThrows('invalid-amount');
  });

  it('ignores a repeated refund id with the same amount and refuses it with another', () => {
    const refunded = [
      ...collected,
      ...attemptDecider.decide(refund('a1', 'r1', 1000), foldAttempt(collected)),
    ];
    given(refunded)
      .when(refund('a1', 'r1', 1000))
      .thenNothingHappens();
    given(refunded)
      .when(refund('a1', 'r1', 2000))
      .thenThrows('refund-id-conflict', 'refundId');
  });
});

describe('recording a purchase attempt', () => {
  const { totalMinor: _total, ...withoutTotal } = purchase('a1', 'premium', 9700);
  const record = (overrides: Partial<PurchaseAttemptedData> = {}): AttemptCommand => ({
    type: 'RecordPurchase',
    data: {
      purchase: {
        ...withoutTotal,
        items: [{ productId: 'premium', quantity: 2, unitPriceMinor: 9700 }],
        ...overrides,
      },
      attribution: attributedToAnn('a1'),
      settingsCurrency: 'USD',
    },
  });

  it('records the attempt with its total and the attribution decision', () => {
    given([])
      .when(record())
      .then([
        domainEvent('PurchaseAttempted', {
          ...withoutTotal,
          items: [{ productId: 'premium', quantity: 2, unitPriceMinor: 9700 }],
          totalMinor: 19400,
        }),
        domainEvent('AttemptAttributed', attributedToAnn('a1')),
      ]);
  });

  it('accepts the same attempt again without effect but refuses other content under its id', () => {
    const recorded = attemptDecider.decide(record(), foldAttempt([]));
    given(recorded).when(record()).thenNothingHappens();
    given(recorded)
      .when(record({ email: 'other@example.com' }))
      .thenThrows('attempt-exists');
  });

  it('refuses bad items, a subscription without id, and a foreign currency', () => {
    given([])
      .when(record({ items: [] }))
      .thenThrows('invalid-purchase', 'items');
    given([])
      .when(record({ items: [{ productId: 'x', quantity: 0, unitPriceMinor: 1 }] }))
      .thenThrows('invalid-purchase', 'items[0].quantity');
    given([])
      .when(record({ items: [{ productId: 'x', quantity: 1, unitPriceMinor: -1 }] }))
      .thenThrows('invalid-purchase', 'items[0].unitPrice');
    given([])
      .when(record({ kind: 'subscription' }))
      .thenThrows('invalid-purchase', 'subscriptionId');
    given([])
      .when(record({ currency: 'EUR' }))
      .thenThrows('currency-mismatch');
  });
});

describe('attempt state', () => {
  it('folds status, amounts and clawbacks from the stream', () => {
    const collected = collectedEvents('a1', 'premium', 9700);
    const events = [...collected, ...attemptDecider.decide(refund('a1', 'r1', 970), foldAttempt(collected))];
    const state = foldAttempt(events);
    expect(state).toMatchObject({ status: 'collected', collectedMinor: 9700, refundedMinor: 970 });
    if (state.status === 'none') throw new Error('unreachable');
    expect(state.commissions).toEqual([
      { commission: expect.objectContaining({ amountMinor: 4850 }), clawedBackMinor: 485 },
    ]);
  });

  it('ignores events that arrive before the attempt itself', () => {
    expect(foldAttempt([domainEvent('PaymentDeclined', { attemptId: 'a1', reason: null })])).toEqual({
      status: 'none',
    });
  });
});
