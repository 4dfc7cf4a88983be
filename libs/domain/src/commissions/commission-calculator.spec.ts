import fc from 'fast-check';
import { DomainRuleViolation } from '../errors/domain-rule-violation';
import type { AttributionExplanation, CommissionEarnedData, PurchaseItem } from '../events/domain-events';
import type { Partner } from '../partners/partner';
import type { Program } from '../programs/program';
import type { Settings } from '../settings/settings';
import { aPartner, aProgram, aRule, byId, settingsWith } from '../testing/fixtures';
import type { CommissionAttempt, DecideCommissionsInput } from './commission-calculator';
import { decideCommissions } from './commission-calculator';

const cookie: AttributionExplanation = {
  method: 'cookie',
  clickId: 'click-1',
  linkId: 'link-1',
  clickedAt: '2026-01-10T08:00:00.000Z',
  rule: 'last',
  trackingMethod: 'cookies-only',
};
const history: AttributionExplanation = {
  method: 'history',
  referralSetAt: '2025-12-01T00:00:00.000Z',
  rule: 'last',
  trackingMethod: 'cookies-only',
};

const standard = aProgram('standard', {
  default: aRule({ sale: [{ percent: '10' }, { percent: '5' }, { percent: '2' }], lead: [{ flat: 300 }] }),
  products: { premium: aRule({ sale: [{ flat: 1000 }, { flat: 500 }, { flat: 100 }] }) },
});

const items: PurchaseItem[] = [
  { productId: 'trial', quantity: 1, unitPriceMinor: 100 },
  { productId: 'premium', quantity: 1, unitPriceMinor: 9700 },
];

type Scenario = {
  attempt?: Partial<CommissionAttempt>;
  partners?: Partner[];
  programs?: Program[];
  settings?: Partial<Settings>;
  collectedRenewalsBefore?: number;
};

const chain = () => [
  aPartner('p1', { parentId: 'p2' }),
  aPartner('p2', { parentId: 'p3' }),
  aPartner('p3'),
  aPartner('lee'),
];

function input(scenario: Scenario = {}): DecideCommissionsInput {
  return {
    attempt: {
      attemptId: 'att-1',
      kind: 'order',
      email: 'buyer@example.com',
      currency: 'USD',
      items,
      salePartnerId: 'p1',
      leadPartnerId: null,
      saleAttribution: cookie,
      leadAttribution: null,
      ...scenario.attempt,
    },
    partners: byId(...(scenario.partners ?? chain())),
    programsById: byId(...(scenario.programs ?? [standard])),
    settings: settingsWith(scenario.settings),
    collectedRenewalsBefore: scenario.collectedRenewalsBefore ?? 0,
  };
}

/** One line per commission: "partner role L<level>[ unused] product amount". */
function lines(commissions: CommissionEarnedData[]): string[] {
  return commissions.map(
    (c) => `${c.partnerId} ${c.role} L${c.level}${c.unused ? ' unused' : ''} ${c.productId} ${c.amountMinor}`,
  );
}

const decide = (scenario: Scenario = {}) => lines(decideCommissions(input(scenario)));

describe('decideCommissions: levels', () => {
  it('pays the partner and its parent with the default two levels, rule per product', () => {
    expect(decide()).toEqual([
      'p1 sale L1 trial 10',
      'p2 sale L2 trial 5',
      'p1 sale L1 premium 1000',
      'p2 sale L2 premium 500',
    ]);
  });

  it('pays the grandparent with three levels and only the partner with one', () => {
    expect(decide({ settings: { levels: 3 } })).toEqual([
      'p1 sale L1 trial 10',
      'p2 sale L2 trial 5',
      'p3 sale L3 trial 2',
      'p1 sale L1 premium 1000',
      'p2 sale L2 premium 500',
      'p3 sale L3 premium 100',
    ]);
    expect(decide({ settings: { levels: 1 } })).toEqual(['p1 sale L1 trial 10', 'p1 sale L1 premium 1000']);
  });

  it('pays nothing for a missing parent without payIfUnused', () => {
    const partners = [aPartner('p1')];
    expect(decide({ partners, settings: { levels: 3 } })).toEqual([
      'p1 sale L1 trial 10',
      'p1 sale L1 premium 1000',
    ]);
  });

  it('gives the missing levels to the level-1 partner, marked unused, with payIfUnused', () => {
    const commissions = decideCommissions(
      input({
        partners: [aPartner('p1')],
        settings: { levels: 3, payIfUnused: true },
        attempt: { items: [items[0]!] },
      }),
    );
    expect(lines(commissions)).toEqual([
      'p1 sale L1 trial 10',
      'p1 sale L2 unused trial 5',
      'p1 sale L3 unused trial 2',
    ]);
    expect(commissions.map((c) => c.commissionId)).toEqual([
      'att-1:sale:L1:0',
      'att-1:sale:L2:0:unused',
      'att-1:sale:L3:0:unused',
    ]);
  });

  it('treats an inactive parent like a missing one, while the grandparent above it still earns', () => {
    const partners = [
      aPartner('p1', { parentId: 'p2' }),
      aPartner('p2', { parentId: 'p3', status: 'inactive' }),
      aPartner('p3'),
    ];
    const settings = { levels: 3 as const, payIfUnused: true };
    expect(decide({ partners, settings, attempt: { items: [items[0]!] } })).toEqual([
      'p1 sale L1 trial 10',
      'p1 sale L2 unused trial 5',
      'p3 sale L3 trial 2',
    ]);
    expect(decide({ partners, settings: { levels: 3 }, attempt: { items: [items[0]!] } })).toEqual([
      'p1 sale L1 trial 10',
      'p3 sale L3 trial 2',
    ]);
  });

  it('pays an inactive level-1 partner nothing, not even unused shares, but its active parent still earns', () => {
    const partners = [aPartner('p1', { parentId: 'p2', status: 'inactive' }), aPartner('p2')];
    expect(
      decide({ partners, settings: { levels: 3, payIfUnused: true }, attempt: { items: [items[0]!] } }),
    ).toEqual(['p2 sale L2 trial 5']);
  });

  it('pays nothing when the credited partner is unknown or there is no partner', () => {
    expect(decide({ attempt: { salePartnerId: 'ghost' } })).toEqual([]);
    expect(decide({ attempt: { salePartnerId: null, saleAttribution: null } })).toEqual([]);
  });
});

describe('decideCommissions: roles', () => {
  const both = { sale: true, lead: true };

  it('pays the sale and the lead partner together, each at its own rates', () => {
    expect(
      decide({
        settings: { payout: both, levels: 1 },
        attempt: { leadPartnerId: 'lee', leadAttribution: history },
      }),
    ).toEqual(['p1 sale L1 trial 10', 'p1 sale L1 premium 1000', 'lee lead L1 trial 300']);
  });

  it('pays only the roles switched on in payout', () => {
    const attempt = { leadPartnerId: 'lee', leadAttribution: history };
    expect(decide({ settings: { payout: { sale: false, lead: true }, levels: 1 }, attempt })).toEqual([
      'lee lead L1 trial 300',
    ]);
    expect(decide({ settings: { payout: { sale: true, lead: false }, levels: 1 }, attempt })).toEqual([
      'p1 sale L1 trial 10',
      'p1 sale L1 premium 1000',
    ]);
  });

  it('records which attribution found each partner', () => {
    const commissions = decideCommissions(
      input({
        settings: { payout: both, levels: 1 },
        attempt: { leadPartnerId: 'lee', leadAttribution: history },
      }),
    );
    expect(commissions.find((c) => c.role === 'lead')?.attribution).toEqual(history);
    expect(commissions.find((c) => c.role === 'sale')?.attribution).toEqual(cookie);
  });
});

describe('decideCommissions: self-referrals', () => {
  const selfBuy = { email: '  P1@Partners.Example ' };

  it("pays nothing to a partner whose email is the buyer's, without redistributing its share", () => {
    expect(decide({ attempt: selfBuy })).toEqual(['p2 sale L2 trial 5', 'p2 sale L2 premium 500']);
  });

  it('blocks an unused share too when the level-1 partner is the buyer', () => {
    expect(decide({ partners: [aPartner('p1')], settings: { payIfUnused: true }, attempt: selfBuy })).toEqual(
      [],
    );
  });

  it('pays self-referrals when blockSelfReferrals is off', () => {
    expect(decide({ attempt: selfBuy, settings: { blockSelfReferrals: false, levels: 1 } })).toEqual([
      'p1 sale L1 trial 10',
      'p1 sale L1 premium 1000',
    ]);
  });
});

describe('decideCommissions: renewals', () => {
  const subscriptionProgram = aProgram('standard', {
    products: {
      monthly: aRule({ sale: [{ percent: '30' }], renewal: [{ percent: '10' }], maxRenewals: 2 }),
      yearly: aRule({ sale: [{ percent: '20' }], maxRenewals: null }),
    },
  });
  const renewal = (productId: string, collectedRenewalsBefore: number) =>
    decideCommissions(
      input({
        programs: [subscriptionProgram],
        settings: { levels: 1 },
        attempt: { kind: 'renewal', items: [{ productId, quantity: 1, unitPriceMinor: 5000 }] },
        collectedRenewalsBefore,
      }),
    );

  it('uses the renewal rates and numbers the renewal', () => {
    expect(renewal('monthly', 0).map((c) => [c.amountMinor, c.renewalNumber])).toEqual([[500, 1]]);
    expect(renewal('monthly', 1).map((c) => [c.amountMinor, c.renewalNumber])).toEqual([[500, 2]]);
  });

  it('stops once maxRenewals collected renewals were paid', () => {
    expect(renewal('monthly', 2)).toEqual([]);
  });

  it('falls back to the sale rates and pays every renewal when maxRenewals is null', () => {
    expect(renewal('yearly', 100).map((c) => [c.amountMinor, c.renewalNumber])).toEqual([[1000, 101]]);
  });

  it('uses sale rates for a new subscription', () => {
    const first = decideCommissions(
      input({
        programs: [subscriptionProgram],
        settings: { levels: 1 },
        attempt: {
          kind: 'subscription',
          items: [{ productId: 'monthly', quantity: 1, unitPriceMinor: 5000 }],
        },
        collectedRenewalsBefore: 7,
      }),
    );
    expect(first.map((c) => [c.amountMinor, c.renewalNumber])).toEqual([[1500, null]]);
  });
});

describe('decideCommissions: programs and amounts', () => {
  it("prices every level with the level-1 partner's best program", () => {
    const vip = aProgram('vip', {
      priority: -1,
      default: aRule({ sale: [{ percent: '20' }, { percent: '1' }] }),
    });
    const partners = [
      aPartner('p1', { parentId: 'p2', programIds: ['standard', 'vip'] }),
      aPartner('p2', { programIds: [] }),
    ];
    const commissions = decideCommissions(input({ partners, programs: [standard, vip] }));
    expect(lines(commissions)).toEqual([
      'p1 sale L1 trial 20',
      'p2 sale L2 trial 1',
      'p1 sale L1 premium 1940',
      'p2 sale L2 premium 97',
    ]);
    expect(new Set(commissions.map((c) => c.programId))).toEqual(new Set(['vip']));
  });

  it('pays nothing on a product without an applicable rule and never emits zero amounts', () => {
    const narrow = aProgram('standard', { products: { premium: aRule({ sale: [{ percent: '10' }] }) } });
    expect(decide({ programs: [narrow], settings: { levels: 1 } })).toEqual(['p1 sale L1 premium 970']);
    const free = [{ productId: 'trial', quantity: 1, unitPriceMinor: 0 }];
    expect(decide({ attempt: { items: free } })).toEqual([]);
    const flatOnFree = aProgram('standard', { default: aRule({ sale: [{ flat: 50 }] }) });
    expect(decide({ programs: [flatOnFree], attempt: { items: free } })).toEqual(['p1 sale L1 trial 50']);
  });

  it('explains each commission completely', () => {
    const [first] = decideCommissions(
      input({ attempt: { items: [{ productId: 'trial', quantity: 3, unitPriceMinor: 1999 }] } }),
    );
    expect(first).toEqual({
      commissionId: 'att-1:sale:L1:0',
      attemptId: 'att-1',
      partnerId: 'p1',
      productId: 'trial',
      role: 'sale',
      level: 1,
      unused: false,
      amountMinor: 600, // 10% of 5997 = 599.7
      currency: 'USD',
      programId: 'standard',
      rule: 'default',
      rate: { flatMinor: null, percent: '10' },
      baseMinor: 5997,
      quantity: 3,
      lineIndex: 0,
      attribution: cookie,
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
  });

  it('decides the same ids and amounts when run again', () => {
    expect(decideCommissions(input({ settings: { levels: 3 } }))).toEqual(
      decideCommissions(input({ settings: { levels: 3 } })),
    );
  });

  it('refuses an attempt in another currency than the settings', () => {
    expect(() => decideCommissions(input({ attempt: { currency: 'EUR' } }))).toThrow(DomainRuleViolation);
  });

  it('only produces positive integer amounts with unique ids', () => {
    const rate = fc.record(
      {
        flat: fc.integer({ min: 0, max: 5000 }),
        percent: fc
          .integer({ min: 0, max: 1_000_000 })
          .map((ppm) => `${Math.trunc(ppm / 10_000)}.${String(ppm % 10_000).padStart(4, '0')}`),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(rate, { minLength: 0, maxLength: 3 }),
        fc.array(
          fc.record({
            productId: fc.constantFrom('a', 'b'),
            quantity: fc.integer({ min: 1, max: 50 }),
            unitPriceMinor: fc.integer({ min: 0, max: 1_000_000 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.constantFrom(1 as const, 2 as const, 3 as const),
        fc.boolean(),
        (rates, lineItems, levels, payIfUnused) => {
          const program = aProgram('standard', {
            default: { sale: rates.filter((r) => r.flat !== undefined || r.percent !== undefined) },
          });
          const commissions = decideCommissions(
            input({
              programs: [program],
              attempt: { items: lineItems },
              settings: { levels, payIfUnused },
              partners: [aPartner('p1', { parentId: 'p2' }), aPartner('p2')],
            }),
          );
          for (const commission of commissions) {
            expect(Number.isSafeInteger(commission.amountMinor)).toBe(true);
            expect(commission.amountMinor).toBeGreaterThan(0);
          }
          expect(new Set(commissions.map((c) => c.commissionId)).size).toBe(commissions.length);
        },
      ),
    );
  });
});
