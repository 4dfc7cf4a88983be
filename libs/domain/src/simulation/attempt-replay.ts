// Replays one purchase attempt's recorded stream under other programs and settings, with the same
// decider that decided it for real (decideCollect, decideRefund): the recorded facts (the attempt, its
// attribution, the collection, the refunds) are fed in again, and every decision is taken anew.
import type { CommissionPartner } from '../commissions/commission-calculator';
import type { AttemptEvent, Attempt } from '../attempts/attempt.decider';
import { decideCollect, decideRefund, evolveAttempt, initialAttempt } from '../attempts/attempt.decider';
import { isDomainRuleViolation } from '../errors/domain-rule-violation';
import type { CommissionClawedBackData, CommissionEarnedData, EventOfType } from '../events/domain-events';
import type { Program } from '../programs/program';
import type { Settings } from '../settings/settings';
import type { LogOrder } from './partner-timeline';

/**
 * A decision recorded for real, with what a replay reads of it (a reader may leave the explanation
 * out: the replay never feeds recorded decisions back into the decider).
 */
export type RecordedDecision =
  | {
      type: 'CommissionEarned';
      data: Pick<
        CommissionEarnedData,
        'commissionId' | 'partnerId' | 'productId' | 'amountMinor' | 'renewalNumber'
      >;
    }
  | {
      type: 'CommissionClawedBack';
      data: Pick<CommissionClawedBackData, 'commissionId' | 'partnerId' | 'productId' | 'amountMinor'>;
    };

/** The facts of an attempt, fed to the decider again, and its recorded decisions. */
export type ReplayedAttemptEvent =
  | EventOfType<
      'PurchaseAttempted' | 'AttemptAttributed' | 'PaymentCollected' | 'PaymentDeclined' | 'RefundIssued'
    >
  | RecordedDecision;

/** An event of the attempt's stream as the log holds it, in stream order. */
export type RecordedAttemptEvent = {
  readonly event: ReplayedAttemptEvent;
  readonly eventId: string;
  readonly order: LogOrder;
};

/** Money of one decision for one partner and product: a commission (> 0) or a clawback (> 0). */
export type SimulationLine = {
  /** The commission decided, or the commission a clawback takes from. */
  readonly commissionId: string;
  readonly partnerId: string;
  readonly productId: string;
  readonly kind: 'commission' | 'clawback';
  readonly amountMinor: number;
};

export type ReplayContext = {
  /** The settings to decide with (the draft over the current ones). */
  readonly settings: Settings;
  /** The programs to price with (the draft over the current ones). */
  readonly programsById: ReadonlyMap<string, Program>;
  /** The credited partners and their ancestors up to `levels`, as they were just before `order`. */
  readonly partnersAt: (
    rootIds: readonly string[],
    levels: number,
    order: LogOrder,
  ) => ReadonlyMap<string, CommissionPartner>;
  /** Renewals only: collected renewals of the same subscription before this one (see renewalsBeforeFromLog). */
  readonly collectedRenewalsBefore: number;
  /** Whether the money decided by this collection or refund event counts (its business date is in the range). */
  readonly counts: (trigger: { readonly eventId: string }) => boolean;
};

export type ReplaySkipReason = 'other-currency' | 'inconsistent-stream';

export type AttemptReplay = {
  /** What was decided for real by the counted collections and refunds (the recorded events). */
  readonly actual: SimulationLine[];
  /** What the same collections and refunds decide under the context. */
  readonly simulated: SimulationLine[];
  /** Counted triggers of each kind. */
  readonly collections: number;
  readonly refunds: number;
  /** Set when the attempt was left out of both sides, with why. */
  readonly skipped: ReplaySkipReason | null;
};

/**
 * Replays an attempt's whole stream (so that a refund claws back from the commissions the simulation
 * decided at the collection, proportionally and cumulatively as for real) and reports the money of the
 * triggers that `counts`. Attempts in another currency than the settings' are skipped on both sides.
 */
export function replayAttempt(
  events: readonly RecordedAttemptEvent[],
  context: ReplayContext,
): AttemptReplay {
  const actual: SimulationLine[] = [];
  const simulated: SimulationLine[] = [];
  let collections = 0;
  let refunds = 0;
  let state: Attempt = initialAttempt;
  /** Whether the collection or refund that the following recorded decisions belong to counts. */
  let triggerCounts = false;
  const skip = (reason: ReplaySkipReason): AttemptReplay => ({
    actual: [],
    simulated: [],
    collections: 0,
    refunds: 0,
    skipped: reason,
  });

  try {
    for (const { event, eventId, order } of events) {
      switch (event.type) {
        case 'PurchaseAttempted':
          if (event.data.currency !== context.settings.currency) return skip('other-currency');
          state = evolveAttempt(state, event);
          break;
        case 'AttemptAttributed':
        case 'PaymentDeclined':
          state = evolveAttempt(state, event);
          break;
        case 'PaymentCollected': {
          triggerCounts = context.counts({ eventId });
          if (triggerCounts) collections++;
          const attribution = state.status === 'none' ? null : state.attribution;
          const roots = [attribution?.salePartnerId, attribution?.leadPartnerId].filter(
            (id): id is string => typeof id === 'string',
          );
          const decided = decideCollect(state, {
            attemptId: event.data.attemptId,
            context: {
              partners: context.partnersAt(roots, context.settings.levels, order),
              programsById: context.programsById,
              settings: context.settings,
              collectedRenewalsBefore: context.collectedRenewalsBefore,
            },
          });
          state = decided.reduce(evolveAttempt, state);
          if (triggerCounts) simulated.push(...linesOf(decided));
          break;
        }
        case 'RefundIssued': {
          triggerCounts = context.counts({ eventId });
          if (triggerCounts) refunds++;
          const decided = decideRefund(state, {
            refundId: event.data.refundId,
            attemptId: event.data.attemptId,
            amountMinor: event.data.amountMinor,
            currency: event.data.currency,
          });
          state = decided.reduce(evolveAttempt, state);
          if (triggerCounts) simulated.push(...linesOf(decided));
          break;
        }
        case 'CommissionEarned':
        case 'CommissionClawedBack':
          // Recorded decisions: the actual side, never fed into the simulated state.
          if (triggerCounts) actual.push(...linesOf([event]));
          break;
        default: {
          const unexpected: never = event;
          return unexpected;
        }
      }
    }
  } catch (error) {
    // A stream the decider refuses to replay (which a log written by this service does not hold) is
    // reported, not allowed to stop the whole simulation.
    if (isDomainRuleViolation(error)) return skip('inconsistent-stream');
    throw error;
  }
  return { actual, simulated, collections, refunds, skipped: null };
}

function linesOf(events: readonly (AttemptEvent | RecordedDecision)[]): SimulationLine[] {
  const lines: SimulationLine[] = [];
  for (const event of events) {
    if (event.type === 'CommissionEarned') {
      const { commissionId, partnerId, productId, amountMinor } = event.data;
      lines.push({ commissionId, partnerId, productId, kind: 'commission', amountMinor });
    } else if (event.type === 'CommissionClawedBack') {
      const { commissionId, partnerId, productId, amountMinor } = event.data;
      lines.push({ commissionId, partnerId, productId, kind: 'clawback', amountMinor });
    }
  }
  return lines;
}

/**
 * For a renewal: the number of collected renewals of its subscription before it, as the recorded
 * commissions state it (renewalNumber - 1). null when the stream has no commission to tell (then the
 * caller counts the subscription's earlier collected renewals in the log).
 */
export function recordedRenewalsBefore(events: readonly RecordedAttemptEvent[]): number | null {
  for (const { event } of events) {
    if (event.type === 'CommissionEarned' && event.data.renewalNumber !== null) {
      return event.data.renewalNumber - 1;
    }
  }
  return null;
}

/** Whether a replay of this stream needs the renewal count at all: a collected renewal that credits someone. */
export function needsRenewalCount(events: readonly RecordedAttemptEvent[]): boolean {
  let renewal = false;
  let credited = false;
  let collected = false;
  for (const { event } of events) {
    if (event.type === 'PurchaseAttempted') renewal = event.data.kind === 'renewal';
    if (event.type === 'AttemptAttributed')
      credited = event.data.salePartnerId !== null || event.data.leadPartnerId !== null;
    if (event.type === 'PaymentCollected') collected = true;
  }
  return renewal && credited && collected;
}
