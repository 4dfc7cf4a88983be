import type { Commission } from './api';
import { explainCommission, explainEntry } from './explain';

const context = {
  currency: 'USD',
  timezone: 'UTC',
  linkName: (id: string) => (id === 'spring' ? 'Spring' : id),
};

const commission = (overrides: Partial<Commission> = {}): Commission => ({
  commissionId: 'a-1:sale:L1:0',
  partnerId: 'amy',
  attemptId: 'a-1',
  productId: 'premium',
  role: 'sale',
  level: 1,
  unused: false,
  amount: 970,
  clawedBack: 0,
  currency: 'USD',
  programId: 'standard',
  ruleKind: 'default',
  rate: { flat: null, percent: '10' },
  base: 9700,
  quantity: 1,
  renewalNumber: null,
  attribution: {
    method: 'cookie',
    clickId: 'clk-1',
    linkId: 'spring',
    clickedAt: '2026-01-05T09:00:00.000Z',
    rule: 'last',
    trackingMethod: 'cookies-only',
  },
  settingsApplied: {
    attribution: 'last',
    trackingMethod: 'cookies-only',
    levels: 1,
    payIfUnused: false,
    blockSelfReferrals: true,
    payout: { sale: true, lead: true },
  },
  ...overrides,
});

describe('explainCommission', () => {
  it('says how the partner was found and how the amount was computed', () => {
    expect(explainCommission(commission(), context)).toBe(
      'cookie from your click on link Spring, 5 Jan 09:00, last referring partner, 10% of $97.00',
    );
  });

  it('names the level of a recruited partner, flat rates, history and unused shares', () => {
    expect(explainCommission(commission({ level: 2, rate: { flat: 300, percent: null } }), context)).toBe(
      'level 2: a sale by a partner you recruited, cookie from their click on link Spring, 5 Jan 09:00, last referring partner, $3.00 flat',
    );
    expect(
      explainCommission(
        commission({
          attribution: {
            method: 'history',
            referralSetAt: '2026-01-02T10:30:00Z',
            referralSource: 'opt-in',
            rule: 'first',
            trackingMethod: 'history-and-cookies',
          },
        }),
        context,
      ),
    ).toBe('referral history from an opt-in, 2 Jan 10:30, first referring partner, 10% of $97.00');
    expect(explainCommission(commission({ level: 2, unused: true }), context)).toMatch(
      /^level 2 share with no partner at that level, paid to you, cookie from their click/,
    );
  });

  it('explains payments, clawbacks and adjustments', () => {
    const entry = {
      entryId: 'x',
      eventId: 'e-x',
      occurredAt: '2026-01-05T00:00:00Z',
      amount: -970,
      balance: 0,
    };
    expect(
      explainEntry({ ...entry, type: 'payment', paymentType: 'check', batchId: 'B-1' }, undefined, context),
    ).toBe('payment by check (batch B-1)');
    expect(explainEntry({ ...entry, type: 'adjustment', reason: 'Bank fee' }, undefined, context)).toBe(
      'adjustment: Bank fee',
    );
  });
});
