// Proportional, cumulative clawback of an attempt's commissions when money is refunded (domain.md 8).
import type { CommissionClawedBackData } from '../events/domain-events';
import { divideRoundHalfAwayFromZero, toMinor } from '../money/money';

/**
 * round_half_away_from_zero(commission x totalRefunded / collected). Computed from the totals every time
 * (never by adding rounded shares), so a full refund claws back exactly the commission.
 */
export function clawedBackSoFarMinor(
  commissionMinor: number,
  totalRefundedMinor: number,
  collectedMinor: number,
): number {
  if (collectedMinor <= 0) return 0;
  return toMinor(
    divideRoundHalfAwayFromZero(BigInt(commissionMinor) * BigInt(totalRefundedMinor), BigInt(collectedMinor)),
  );
}

export type ClawbackCommission = {
  commissionId: string;
  partnerId: string;
  productId: string;
  amountMinor: number;
  /** Already clawed back by earlier refunds. */
  clawedBackMinor: number;
};

export type DecideClawbacksInput = {
  attemptId: string;
  refundId: string;
  currency: string;
  collectedMinor: number;
  /** All refunded on the attempt, this refund included. */
  totalRefundedMinor: number;
  commissions: readonly ClawbackCommission[];
};

/** One event per commission whose cumulative clawback grows with this refund; zero differences are skipped. */
export function decideClawbacks(input: DecideClawbacksInput): CommissionClawedBackData[] {
  const events: CommissionClawedBackData[] = [];
  for (const commission of input.commissions) {
    const target = clawedBackSoFarMinor(
      commission.amountMinor,
      input.totalRefundedMinor,
      input.collectedMinor,
    );
    const amountMinor = target - commission.clawedBackMinor;
    if (amountMinor <= 0) continue;
    events.push({
      commissionId: commission.commissionId,
      attemptId: input.attemptId,
      partnerId: commission.partnerId,
      productId: commission.productId,
      refundId: input.refundId,
      amountMinor,
      clawedBackTotalMinor: target,
      currency: input.currency,
    });
  }
  return events;
}
