import fc from 'fast-check';
import type { Attempt, AttemptEvent } from '../attempts/attempt.decider';
import {
  decideCollect,
  decidePurchase,
  decideRefund,
  evolveAttempt,
  initialAttempt,
} from '../attempts/attempt.decider';
import type { AttemptAttributedData, PurchaseItem } from '../events/domain-events';
import { domainEvent } from '../events/domain-events';
import { clawedBackSoFarMinor } from '../refunds/clawback';
import type { Partner } from '../partners/partner';
import type { Program, Rate } from '../programs/program';
import { formatPercent } from '../money/percent';
import type { Settings } from '../settings/settings';
import { aPartner, aProgram, byId, settingsWith } from '../testing/fixtures';
import type { RecordedAttemptEvent, ReplayContext, SimulationLine } from './attempt-replay';
import { needsRenewalCount, recordedRenewalsBefore, replayAttempt } from './attempt-replay';
import type { LogOrder } from './partner-timeline';
import { PartnerTimeline } from './partner-timeline';

// ---------------------------------------------------------------------------------------------------
// A tiny log: partners are enrolled first, then attempts are decided for real by the attempt decider
// (as the ingest handlers do) and recorded with event ids and log positions.

class Log {
  private sequence = 0n;
  readonly timeline = new PartnerTimeline();

  next(): LogOrder {
    this.sequence += 1n;
    return { transactionId: this.sequence, sequence: this.sequence };
  }

  enroll(...partners: Partner[]): void {
    for (const partner of partners)
      this.timeline.apply(domainEvent('PartnerEnrolled', { partner }), this.next());
  }

  change(partnerId: string, changes: Partial<Partner>): void {
    this.timeline.apply(domainEvent('PartnerChanged', { partnerId, changes }), this.next());
  }
}

class RecordedAttempt {
  readonly events: RecordedAttemptEvent[] = [];
  private state: Attempt = initialAttempt;

  constructor(
    private readonly log: Log,
    readonly attemptId: string,
  ) {}

  private record(envelopeId: string, decided: readonly AttemptEvent[]): void {
    decided.forEach((event, index) => {
      this.events.push({
        event,
        eventId: index === 0 ? envelopeId : `${envelopeId}/${index}`,
        order: this.log.next(),
      });
      this.state = evolveAttempt(this.state, event);
    });
  }

  purchase(items: PurchaseItem[], salePartnerId: string | null, extra: { email?: string } = {}): this {
    const attribution: AttemptAttributedData = {
      attemptId: this.attemptId,
      salePartnerId,
      leadPartnerId: null,
      saleAttribution:
        salePartnerId === null ? null : { method: 'explicit', rule: 'last', trackingMethod: 'cookies-only' },
      leadAttribution: null,
      renewalOf: null,
    };
    this.record(
      `${this.attemptId}-attempted`,
      decidePurchase(this.state, {
        purchase: {
          attemptId: this.attemptId,
          orderId: `order-${this.attemptId}`,
          contactId: 'john',
          kind: 'order',
          subscriptionId: null,
          visitorId: null,
          partnerCode: null,
          explicitPartnerId: salePartnerId,
          ip: null,
          email: extra.email ?? 'john@example.com',
          currency: 'USD',
          items,
        },
        attribution,
        settingsCurrency: 'USD',
      }),
    );
    return this;
  }

  collect(programs: Program[], settings: Settings, eventId = `${this.attemptId}-collected`): this {
    const attribution = this.state.status === 'none' ? null : this.state.attribution;
    const roots = attribution?.salePartnerId ? [attribution.salePartnerId] : [];
    const order = this.log.next();
    this.record(
      eventId,
      decideCollect(this.state, {
        attemptId: this.attemptId,
        context: {
          partners: this.log.timeline.chainsAt(roots, settings.levels, order),
          programsById: byId(...programs),
          settings,
          collectedRenewalsBefore: 0,
        },
      }),
    );
    return this;
  }

  refund(amountMinor: number, refundId: string): this {
    this.record(
      refundId,
      decideRefund(this.state, { refundId, attemptId: this.attemptId, amountMinor, currency: 'USD' }),
    );
    return this;
  }
}

const everything = () => true;

function context(
  log: Log,
  programs: Program[],
  settings: Settings,
  counts: ReplayContext['counts'] = everything,
): ReplayContext {
  return {
    settings,
    programsById: byId(...programs),
    partnersAt: (roots, levels, order) => log.timeline.chainsAt(roots, levels, order),
    collectedRenewalsBefore: 0,
    counts,
  };
}

const recordedLines = (events: readonly RecordedAttemptEvent[]): SimulationLine[] =>
  events.flatMap(({ event }): SimulationLine[] => {
    if (event.type === 'CommissionEarned')
      return [
        {
          commissionId: event.data.commissionId,
          partnerId: event.data.partnerId,
          productId: event.data.productId,
          kind: 'commission',
          amountMinor: event.data.amountMinor,
        },
      ];
    if (event.type === 'CommissionClawedBack')
      return [
        {
          commissionId: event.data.commissionId,
          partnerId: event.data.partnerId,
          productId: event.data.productId,
          kind: 'clawback',
          amountMinor: event.data.amountMinor,
        },
      ];
    return [];
  });

const standard = aProgram('standard', {
  default: { sale: [{ percent: '10' }, { percent: '3' }] },
  products: { trial: { sale: [{ flat: 50 }, { flat: 10 }] } },
});

function amyAndBen(): Log {
  const log = new Log();
  log.enroll(aPartner('cat'), aPartner('ben', { parentId: 'cat' }), aPartner('amy', { parentId: 'ben' }));
  return log;
}

// ---------------------------------------------------------------------------------------------------

describe('replayAttempt', () => {
  it('replays under the programs and settings in force to exactly what was recorded', () => {
    const log = amyAndBen();
    const settings = settingsWith();
    const sale = new RecordedAttempt(log, 'a-1')
      .purchase(
        [
          { productId: 'premium', quantity: 1, unitPriceMinor: 9700 },
          { productId: 'trial', quantity: 2, unitPriceMinor: 100 },
        ],
        'amy',
      )
      .collect([standard], settings)
      .refund(4850, 'r-1')
      .refund(1000, 'r-2');

    const replay = replayAttempt(sale.events, context(log, [standard], settings));

    expect(replay.skipped).toBeNull();
    expect(replay.collections).toBe(1);
    expect(replay.refunds).toBe(2);
    expect(replay.actual).toEqual(recordedLines(sale.events));
    expect(replay.simulated).toEqual(replay.actual);
  });

  it('doubling a percent-only rate doubles each line, up to the rounding of that line (property)', () => {
    const percent = fc.integer({ min: 0, max: 500_000 }); // ppm, up to 50%: the double is still a rate
    const item = fc.record({
      productId: fc.constantFrom('basic', 'premium', 'addon'),
      quantity: fc.integer({ min: 1, max: 20 }),
      unitPriceMinor: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(percent, { minLength: 1, maxLength: 3 }),
        fc.array(item, { minLength: 1, maxLength: 5 }),
        fc.constantFrom<Settings['levels']>(1, 2, 3),
        (ppms, items, levels) => {
          const log = amyAndBen();
          const settings = settingsWith({ levels });
          const rates = (factor: number): Rate[] =>
            ppms.map((ppm) => ({ percent: formatPercent(ppm * factor) }));
          const current = aProgram('standard', { default: { sale: rates(1) } });
          const draft = aProgram('standard', { default: { sale: rates(2) } });
          const sale = new RecordedAttempt(log, 'a-1').purchase(items, 'amy').collect([current], settings);

          const replay = replayAttempt(sale.events, context(log, [draft], settings));

          const actual = new Map(replay.actual.map((l) => [l.commissionId, l.amountMinor]));
          const simulated = new Map(replay.simulated.map((l) => [l.commissionId, l.amountMinor]));
          expect(actual.size).toBe(replay.actual.length);
          expect(simulated.size).toBe(replay.simulated.length);
          // Every line paid for real is paid at twice the amount, give or take its rounding...
          for (const [id, amount] of actual) {
            expect(simulated.has(id)).toBe(true);
            expect(Math.abs(simulated.get(id)! - 2 * amount)).toBeLessThanOrEqual(1);
          }
          // ...and a line that rounded to 0 for real earns at most 1 at twice the rate.
          for (const [id, amount] of simulated) if (!actual.has(id)) expect(amount).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with a third level, pays the new grandparents their level-3 amounts', () => {
    const log = amyAndBen();
    const threeLevels = aProgram('standard', {
      default: { sale: [{ percent: '10' }, { percent: '3' }, { percent: '1' }] },
    });
    const sale = new RecordedAttempt(log, 'a-1')
      .purchase([{ productId: 'premium', quantity: 1, unitPriceMinor: 9700 }], 'amy')
      .collect([threeLevels], settingsWith({ levels: 2 }));

    const replay = replayAttempt(sale.events, context(log, [threeLevels], settingsWith({ levels: 3 })));

    expect(replay.actual).toEqual([
      {
        commissionId: 'a-1:sale:L1:0',
        partnerId: 'amy',
        productId: 'premium',
        kind: 'commission',
        amountMinor: 970,
      },
      {
        commissionId: 'a-1:sale:L2:0',
        partnerId: 'ben',
        productId: 'premium',
        kind: 'commission',
        amountMinor: 291,
      },
    ]);
    expect(replay.simulated).toEqual([
      ...replay.actual,
      {
        commissionId: 'a-1:sale:L3:0',
        partnerId: 'cat',
        productId: 'premium',
        kind: 'commission',
        amountMinor: 97,
      },
    ]);
  });

  it('claws back proportionally and cumulatively from the simulated commissions', () => {
    const log = amyAndBen();
    const settings = settingsWith();
    const sale = new RecordedAttempt(log, 'a-1')
      .purchase([{ productId: 'premium', quantity: 1, unitPriceMinor: 9700 }], 'amy')
      .collect([standard], settings)
      .refund(3333, 'r-1')
      .refund(3333, 'r-2');
    const richer = aProgram('standard', { default: { sale: [{ percent: '25' }, { percent: '7.5' }] } });

    const replay = replayAttempt(sale.events, context(log, [richer], settings));

    const commissions = replay.simulated.filter((l) => l.kind === 'commission');
    expect(commissions.map((l) => l.amountMinor)).toEqual([2425, 728]);
    const clawbacks = replay.simulated.filter((l) => l.kind === 'clawback');
    // Each refund takes the cumulative share minus what earlier refunds took.
    const expected = commissions.flatMap((c) => {
      const first = clawedBackSoFarMinor(c.amountMinor, 3333, 9700);
      const both = clawedBackSoFarMinor(c.amountMinor, 6666, 9700);
      return [{ partnerId: c.partnerId, first, second: both - first }];
    });
    expect(clawbacks.map((l) => [l.partnerId, l.amountMinor])).toEqual([
      ...expected.map((e) => [e.partnerId, e.first]),
      ...expected.map((e) => [e.partnerId, e.second]),
    ]);
    expect(clawbacks.map((l) => l.amountMinor)).toEqual([833, 250, 834, 250]); // 2425 x 6666 / 9700 = 1666.5 -> 1667;
  });

  it('counts only the collections and refunds it is asked to, and claws back from uncounted collections', () => {
    const log = amyAndBen();
    const settings = settingsWith();
    const sale = new RecordedAttempt(log, 'a-1')
      .purchase([{ productId: 'premium', quantity: 1, unitPriceMinor: 9700 }], 'amy')
      .collect([standard], settings)
      .refund(9700, 'r-1');
    const doubled = aProgram('standard', { default: { sale: [{ percent: '20' }, { percent: '6' }] } });

    const refundOnly = replayAttempt(
      sale.events,
      context(log, [doubled], settings, ({ eventId }) => eventId === 'r-1'),
    );

    expect(refundOnly.collections).toBe(0);
    expect(refundOnly.refunds).toBe(1);
    expect(refundOnly.actual.every((l) => l.kind === 'clawback')).toBe(true);
    expect(refundOnly.actual.map((l) => l.amountMinor)).toEqual([970, 291]);
    // A full refund takes back exactly what the simulation paid.
    expect(refundOnly.simulated.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['clawback', 1940],
      ['clawback', 582],
    ]);
  });

  it('takes partners as they were at the collection, not as they are now', () => {
    const log = amyAndBen();
    const settings = settingsWith();
    const sale = new RecordedAttempt(log, 'a-1')
      .purchase([{ productId: 'premium', quantity: 1, unitPriceMinor: 9700 }], 'amy')
      .collect([standard], settings);
    log.change('amy', { parentId: null, status: 'inactive' });

    const replay = replayAttempt(sale.events, context(log, [standard], settings));

    expect(replay.simulated).toEqual(replay.actual);
    expect(replay.simulated.map((l) => l.partnerId)).toEqual(['amy', 'ben']);
  });

  it('applies blockSelfReferrals and payIfUnused as drafted', () => {
    const log = new Log();
    log.enroll(aPartner('solo', { email: 'solo@example.com' }));
    const sale = new RecordedAttempt(log, 'a-1')
      .purchase([{ productId: 'premium', quantity: 1, unitPriceMinor: 9700 }], 'solo', {
        email: 'SOLO@example.com',
      })
      .collect([standard], settingsWith({ blockSelfReferrals: true }));

    const unblocked = replayAttempt(
      sale.events,
      context(log, [standard], settingsWith({ blockSelfReferrals: false, payIfUnused: true })),
    );

    expect(sale.events.some((e) => e.event.type === 'CommissionEarned')).toBe(false);
    expect(unblocked.actual).toEqual([]);
    expect(unblocked.simulated).toEqual([
      {
        commissionId: 'a-1:sale:L1:0',
        partnerId: 'solo',
        productId: 'premium',
        kind: 'commission',
        amountMinor: 970,
      },
      {
        commissionId: 'a-1:sale:L2:0:unused',
        partnerId: 'solo',
        productId: 'premium',
        kind: 'commission',
        amountMinor: 291,
      },
    ]);
  });

  it('skips an attempt in another currency than the settlement currency, on both sides', () => {
    const log = amyAndBen();
    const sale = new RecordedAttempt(log, 'a-1')
      .purchase([{ productId: 'premium', quantity: 1, unitPriceMinor: 9700 }], 'amy')
      .collect([standard], settingsWith());

    const replay = replayAttempt(sale.events, context(log, [standard], settingsWith({ currency: 'EUR' })));

    expect(replay).toEqual({
      actual: [],
      simulated: [],
      collections: 0,
      refunds: 0,
      skipped: 'other-currency',
    });
  });

  it('tells whether a renewal count is needed and reads it from the recorded commissions', () => {
    const log = amyAndBen();
    const sale = new RecordedAttempt(log, 'a-1')
      .purchase([{ productId: 'premium', quantity: 1, unitPriceMinor: 9700 }], 'amy')
      .collect([standard], settingsWith());
    expect(needsRenewalCount(sale.events)).toBe(false); // an order
    expect(recordedRenewalsBefore(sale.events)).toBeNull();
    const renewal: RecordedAttemptEvent[] = sale.events.map((e) => {
      if (e.event.type === 'PurchaseAttempted')
        return {
          ...e,
          event: domainEvent('PurchaseAttempted', {
            ...e.event.data,
            kind: 'renewal',
            subscriptionId: 's-1',
          }),
        };
      if (e.event.type === 'CommissionEarned')
        return { ...e, event: { type: 'CommissionEarned', data: { ...e.event.data, renewalNumber: 4 } } };
      return e;
    });
    expect(needsRenewalCount(renewal)).toBe(true);
    expect(recordedRenewalsBefore(renewal)).toBe(3);
  });
});
