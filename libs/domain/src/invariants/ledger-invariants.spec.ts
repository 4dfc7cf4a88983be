// Property test: random command sequences through the pure domain (attempt decider, payments,
// adjustments, payout batches) keep the ledger's invariants, whatever the settings and the order.
import fc from 'fast-check';
import type { Attempt, AttemptEvent } from '../attempts/attempt.decider';
import {
  decideCollect,
  decideDecline,
  decidePurchase,
  decideRefund,
  evolveAttempt,
  foldAttempt,
  initialAttempt,
} from '../attempts/attempt.decider';
import type { CommissionPartner } from '../commissions/commission-calculator';
import { isDomainRuleViolation } from '../errors/domain-rule-violation';
import type {
  AttemptAttributedData,
  DomainEvent,
  PartnerPaidData,
  PayoutBatchCreatedData,
  PurchaseItem,
} from '../events/domain-events';
import { domainEvent } from '../events/domain-events';
import type { LedgerEntry } from '../ledger/ledger';
import { ledgerBalance, ledgerEntryFrom, summarizeLedger } from '../ledger/ledger';
import { payoutAmount, planPayoutBatch, type ReportPayoutMethod } from '../payouts/payout-methods';
import type { Program, Rate, Rule } from '../programs/program';
import type { Settings } from '../settings/settings';
import { aPartner, aProgram, byId, settingsWith } from '../testing/fixtures';
import { toIsoInstant } from '../time/instant';

const PARTNERS = ['ann', 'bob', 'cy', 'dee'] as const;
type PartnerId = (typeof PARTNERS)[number];
const ATTEMPTS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'] as const;
const PRODUCTS = ['trial', 'premium', 'annual'] as const;
const START_MS = Date.UTC(2026, 0, 1);
const EARLIEST = '2000-01-01T00:00:00.000Z';
const LATEST = '2100-01-01T00:00:00.000Z';

type Command =
  | {
      kind: 'purchase';
      attemptId: string;
      salePartner: PartnerId | null;
      leadPartner: PartnerId | null;
      buyerIsPartner: PartnerId | null;
      items: PurchaseItem[];
    }
  | { kind: 'collect'; attemptId: string }
  | { kind: 'decline'; attemptId: string }
  | { kind: 'refund'; attemptId: string; refundId: string; amountMinor: number }
  | { kind: 'payment'; partnerId: PartnerId; amountMinor: number }
  | { kind: 'adjustment'; partnerId: PartnerId; amountMinor: number }
  | { kind: 'batch'; method: ReportPayoutMethod; minimumAmountMinor: number };

const partner = fc.constantFrom(...PARTNERS);
const attemptId = fc.constantFrom(...ATTEMPTS);
const item: fc.Arbitrary<PurchaseItem> = fc.record({
  productId: fc.constantFrom(...PRODUCTS),
  quantity: fc.integer({ min: 1, max: 4 }),
  unitPriceMinor: fc.integer({ min: 0, max: 50_000 }),
});

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('purchase' as const),
      attemptId,
      salePartner: fc.option(partner, { nil: null }),
      leadPartner: fc.option(partner, { nil: null }),
      buyerIsPartner: fc.option(partner, { nil: null, freq: 5 }),
      items: fc.array(item, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('collect' as const), attemptId }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('decline' as const), attemptId }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      attemptId,
      // Few refund ids, so that a refund is sometimes sent again (same or other amount).
      refundId: fc.constantFrom('r1', 'r2', 'r3', 'r4'),
      amountMinor: fc.oneof(fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: -5, max: 0 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('payment' as const),
      partnerId: partner,
      amountMinor: fc.integer({ min: 1, max: 20_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('adjustment' as const),
      partnerId: partner,
      amountMinor: fc.integer({ min: -20_000, max: 20_000 }).filter((n) => n !== 0),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      method: fc.constantFrom<ReportPayoutMethod>(
        'earned-in-range',
        'beginning-plus-earned',
        'ending-balance',
      ),
      minimumAmountMinor: fc.integer({ min: 0, max: 5_000 }),
    }),
  },
);

const rate: fc.Arbitrary<Rate> = fc.oneof(
  fc.record({ flat: fc.integer({ min: 0, max: 2_000 }) }),
  fc.record({ percent: fc.integer({ min: 0, max: 500_000 }).map((n) => (n / 10_000).toString()) }),
  fc.record({
    flat: fc.integer({ min: 0, max: 500 }),
    percent: fc.integer({ min: 0, max: 3_000 }).map((n) => (n / 100).toString()),
  }),
);
const rule: fc.Arbitrary<Rule> = fc.record(
  {
    sale: fc.array(rate, { minLength: 1, maxLength: 3 }),
    lead: fc.array(rate, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['sale'] },
);

interface World {
  levels: 1 | 2 | 3;
  payIfUnused: boolean;
  blockSelfReferrals: boolean;
  payLead: boolean;
  deeInactive: boolean;
  defaultRule: Rule;
  premiumRule: Rule | null;
}

const world: fc.Arbitrary<World> = fc.record({
  levels: fc.constantFrom<1 | 2 | 3>(1, 2, 3),
  payIfUnused: fc.boolean(),
  blockSelfReferrals: fc.boolean(),
  payLead: fc.boolean(),
  deeInactive: fc.boolean(),
  defaultRule: rule,
  premiumRule: fc.option(rule, { nil: null }),
});

interface Recorded {
  readonly event: DomainEvent;
  readonly occurredAt: string;
}

/** Runs the commands, recording every accepted fact as the services would, and checks as it goes. */
function run(setup: World, commands: readonly Command[]) {
  const settings: Settings = settingsWith({
    levels: setup.levels,
    payIfUnused: setup.payIfUnused,
    blockSelfReferrals: setup.blockSelfReferrals,
    payout: { sale: true, lead: setup.payLead },
  });
  // ann -> bob -> cy is a chain of three levels; dee stands alone and is sometimes inactive.
  const partners = new Map<string, CommissionPartner>([
    ['ann', aPartner('ann', { parentId: 'bob' })],
    ['bob', aPartner('bob', { parentId: 'cy' })],
    ['cy', aPartner('cy')],
    ['dee', aPartner('dee', { status: setup.deeInactive ? 'inactive' : 'active' })],
  ]);
  const programsById = byId(
    aProgram('standard', {
      default: setup.defaultRule,
      products: setup.premiumRule ? { premium: setup.premiumRule } : {},
    }),
  );

  const log: Recorded[] = [];
  const streams = new Map<string, AttemptEvent[]>();
  const states = new Map<string, Attempt>();
  const manualPayments = new Set<string>();
  let clock = START_MS;
  let serial = 0;
  let rejected = 0;

  const record = (event: DomainEvent, occurredAt: string) => log.push({ event, occurredAt });
  const entriesOf = (upTo: readonly Recorded[]) =>
    upTo.flatMap(({ event, occurredAt }, index) => {
      const entry = ledgerEntryFrom(event, occurredAt, `evt-${index}`);
      return entry ? [entry] : [];
    });

  for (const cmd of commands) {
    const now = toIsoInstant((clock += 3_600_000));
    if (cmd.kind === 'payment') {
      const paymentId = `pay-${++serial}`;
      manualPayments.add(paymentId);
      record(
        domainEvent('PartnerPaid', {
          paymentId,
          partnerId: cmd.partnerId,
          amountMinor: cmd.amountMinor,
          currency: 'USD',
          paymentType: 'check',
          paidAt: now,
          note: null,
          batchId: null,
        }),
        now,
      );
      continue;
    }
    if (cmd.kind === 'adjustment') {
      record(
        domainEvent('LedgerAdjusted', {
          adjustmentId: `adj-${++serial}`,
          partnerId: cmd.partnerId,
          amountMinor: cmd.amountMinor,
          reason: 'property test',
          occurredAt: now,
        }),
        now,
      );
      continue;
    }
    if (cmd.kind === 'batch') {
      const entries = entriesOf(log);
      const batchId = `Batch-${++serial}`;
      const { batch, payments } = planPayoutBatch({
        batchId,
        method: cmd.method,
        from: '2026-01-01',
        to: '2099-12-31',
        payDate: null,
        cutoff: null,
        paidAt: now,
        paymentType: 'paypal',
        minimumAmountMinor: cmd.minimumAmountMinor,
        currency: 'USD',
        candidates: PARTNERS.map((partnerId) => ({
          partnerId,
          amountMinor: payoutAmount(
            cmd.method,
            summarizeLedger(
              entries.filter((e) => e.partnerId === partnerId),
              toIsoInstant(START_MS),
              LATEST,
            ),
          ),
        })),
      });
      record(domainEvent('PayoutBatchCreated', batch), now);
      for (const payment of payments) record(domainEvent('PartnerPaid', payment), now);
      continue;
    }

    const state = states.get(cmd.attemptId) ?? initialAttempt;
    let decided: AttemptEvent[];
    try {
      decided = decide(cmd, state, { partners, programsById, settings });
    } catch (error) {
      if (!isDomainRuleViolation(error)) throw error;
      rejected++;
      continue;
    }
    // Evolved one event at a time, as a handler that keeps its state in memory would.
    let next = state;
    for (const event of decided) {
      next = evolveAttempt(next, event);
      record(event, now);
    }
    states.set(cmd.attemptId, next);
    streams.set(cmd.attemptId, [...(streams.get(cmd.attemptId) ?? []), ...decided]);

    // Sending the same purchase or the same refund again changes nothing.
    if (cmd.kind === 'purchase' || cmd.kind === 'refund') {
      expect(decide(cmd, next, { partners, programsById, settings })).toEqual([]);
    }
  }
  return { log, streams, states, manualPayments, rejected, entries: entriesOf(log) };
}

function decide(
  cmd: Extract<Command, { attemptId: string }>,
  state: Attempt,
  context: {
    partners: Map<string, CommissionPartner>;
    programsById: ReadonlyMap<string, Program>;
    settings: Settings;
  },
): AttemptEvent[] {
  switch (cmd.kind) {
    case 'purchase': {
      const explanation = {
        method: 'explicit' as const,
        rule: 'last' as const,
        trackingMethod: 'cookies-only' as const,
      };
      const attribution: AttemptAttributedData = {
        attemptId: cmd.attemptId,
        salePartnerId: cmd.salePartner,
        leadPartnerId: cmd.leadPartner,
        saleAttribution: cmd.salePartner ? explanation : null,
        leadAttribution: cmd.leadPartner ? explanation : null,
        renewalOf: null,
      };
      return decidePurchase(state, {
        purchase: {
          attemptId: cmd.attemptId,
          orderId: `order-${cmd.attemptId}`,
          contactId: 'buyer',
          kind: 'order',
          subscriptionId: null,
          visitorId: null,
          partnerCode: null,
          explicitPartnerId: cmd.salePartner,
          ip: null,
          email: cmd.buyerIsPartner ? `${cmd.buyerIsPartner}@partners.example` : 'buyer@example.com',
          currency: 'USD',
          items: cmd.items,
        },
        attribution,
        settingsCurrency: 'USD',
      });
    }
    case 'collect':
      return decideCollect(state, {
        attemptId: cmd.attemptId,
        context: {
          partners: context.partners,
          programsById: context.programsById,
          settings: context.settings,
          collectedRenewalsBefore: 0,
        },
      });
    case 'decline':
      return decideDecline(state, { attemptId: cmd.attemptId, reason: 'card declined' });
    case 'refund':
      return decideRefund(state, {
        refundId: cmd.refundId,
        attemptId: cmd.attemptId,
        amountMinor: cmd.amountMinor,
        currency: 'USD',
      });
    default: {
      const unexpected: never = cmd;
      return unexpected;
    }
  }
}

const ofType = <T extends DomainEvent['type']>(log: readonly Recorded[], type: T) =>
  log.flatMap((r) => (r.event.type === type ? [r.event as Extract<DomainEvent, { type: T }>] : []));

const sum = (amounts: readonly number[]) => amounts.reduce((total, n) => total + n, 0);

const property = fc.property(world, fc.array(command, { minLength: 1, maxLength: 60 }), (setup, commands) => {
  const { log, streams, states, manualPayments, entries } = run(setup, commands);

  // Balance = sum of the ledger entries = commissions - clawbacks + adjustments - payments, per partner,
  // and the report adds up whichever instant splits it into "before" and "in range".
  for (const partnerId of PARTNERS) {
    const own = entries.filter((e: LedgerEntry) => e.partnerId === partnerId);
    const mine = <T extends { partnerId: string; amountMinor: number }>(items: T[]) =>
      sum(items.filter((i) => i.partnerId === partnerId).map((i) => i.amountMinor));
    const expected =
      mine(ofType(log, 'CommissionEarned').map((e) => e.data)) -
      mine(ofType(log, 'CommissionClawedBack').map((e) => e.data)) +
      mine(ofType(log, 'LedgerAdjusted').map((e) => e.data)) -
      mine(ofType(log, 'PartnerPaid').map((e) => e.data));
    expect(ledgerBalance(own)).toBe(expected);
    const whole = summarizeLedger(own, EARLIEST, LATEST);
    expect(whole.endingBalance).toBe(expected);
    const split = toIsoInstant(START_MS + 3_600_000 * Math.ceil(log.length / 2));
    const report = summarizeLedger(own, split, LATEST);
    expect(report.endingBalance).toBe(
      report.beginningBalance + report.commissions - report.clawbacks + report.adjustments - report.payments,
    );
    expect(report.endingBalance).toBe(expected);
  }

  // Per commission: clawed back never more than earned, cumulative totals consistent, exact on a full refund.
  const commissions = ofType(log, 'CommissionEarned').map((e) => e.data);
  expect(new Set(commissions.map((c) => c.commissionId)).size).toBe(commissions.length);
  for (const commission of commissions) {
    const clawbacks = ofType(log, 'CommissionClawedBack')
      .map((e) => e.data)
      .filter((c) => c.commissionId === commission.commissionId);
    let total = 0;
    for (const clawback of clawbacks) {
      expect(clawback.amountMinor).toBeGreaterThan(0);
      total += clawback.amountMinor;
      expect(clawback.clawedBackTotalMinor).toBe(total);
    }
    expect(total).toBeLessThanOrEqual(commission.amountMinor);
    const attempt = states.get(commission.attemptId);
    if (attempt && attempt.status !== 'none' && attempt.refundedMinor === attempt.collectedMinor) {
      expect(total).toBe(commission.amountMinor);
    }
  }

  // Per attempt: at most one outcome, refunds only after a collection and never above it.
  for (const [id, events] of streams) {
    const outcomes = events.filter((e) => e.type === 'PaymentCollected' || e.type === 'PaymentDeclined');
    expect(outcomes.length).toBeLessThanOrEqual(1);
    const refunded = sum(events.flatMap((e) => (e.type === 'RefundIssued' ? [e.data.amountMinor] : [])));
    const collected = sum(events.flatMap((e) => (e.type === 'PaymentCollected' ? [e.data.amountMinor] : [])));
    expect(refunded).toBeLessThanOrEqual(collected);
    if (refunded > 0) expect(outcomes[0]?.type).toBe('PaymentCollected');
    expect(events.filter((e) => e.type === 'CommissionEarned').every((e) => e.data.attemptId === id)).toBe(
      true,
    );
  }

  // Every payment traces to a manual payment or to exactly one line of a batch, and every batch line is paid once.
  const batches = new Map<string, PayoutBatchCreatedData>(
    ofType(log, 'PayoutBatchCreated').map((e) => [e.data.batchId, e.data]),
  );
  const payments: PartnerPaidData[] = ofType(log, 'PartnerPaid').map((e) => e.data);
  for (const payment of payments) {
    if (payment.batchId === null) {
      expect(manualPayments.has(payment.paymentId)).toBe(true);
      continue;
    }
    const batch = batches.get(payment.batchId);
    expect(batch).toBeDefined();
    expect(batch!.payments).toContainEqual({
      partnerId: payment.partnerId,
      amountMinor: payment.amountMinor,
      paymentId: payment.paymentId,
    });
    expect(payment.amountMinor).toBeGreaterThan(0);
    expect(payment.amountMinor).toBeGreaterThanOrEqual(batch!.minimumAmountMinor);
  }
  for (const batch of batches.values()) {
    for (const line of batch.payments) {
      expect(payments.filter((p) => p.paymentId === line.paymentId)).toHaveLength(1);
    }
    expect(batch.totalMinor).toBe(sum(batch.payments.map((p) => p.amountMinor)));
  }
  expect(new Set(payments.map((p) => p.paymentId)).size).toBe(payments.length);

  // Replaying a stream gives the state that evolving it event by event gave.
  for (const [id, events] of streams) {
    expect(foldAttempt(events)).toEqual(states.get(id));
  }
});

describe('ledger invariants under random command sequences', () => {
  it('hold for balances, clawbacks, payments and replays', () => {
    fc.assert(property, {
      numRuns: Number(process.env['INVARIANT_RUNS'] ?? 300),
      ...(process.env['INVARIANT_SEED'] ? { seed: Number(process.env['INVARIANT_SEED']) } : {}),
    });
  });

  it('exercise what they claim to: collections, refunds, rejections and batches all happen', () => {
    const seen = { collected: 0, refunds: 0, clawbacks: 0, rejected: 0, batchPayments: 0 };
    fc.assert(
      fc.property(world, fc.array(command, { minLength: 20, maxLength: 60 }), (setup, commands) => {
        const { log, rejected } = run(setup, commands);
        seen.collected += ofType(log, 'PaymentCollected').length;
        seen.refunds += ofType(log, 'RefundIssued').length;
        seen.clawbacks += ofType(log, 'CommissionClawedBack').length;
        seen.batchPayments += ofType(log, 'PartnerPaid').filter((e) => e.data.batchId !== null).length;
        seen.rejected += rejected;
      }),
      { numRuns: 100, seed: 42 },
    );
    expect(Object.values(seen).every((n) => n > 10)).toBe(true);
  });
});
