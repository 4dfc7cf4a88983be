/**
 * How a refund on an attempt is shared among its item lines for the products-sold report: in
 * proportion to the line totals, rounded half away from zero, the last line taking the remainder.
 * Shares are computed from cumulative totals (of lines, and of refunds so far), so they are never
 * negative, never exceed a line's total, and a full refund gives back exactly every line's total.
 */
import { divideRoundHalfAwayFromZero, toMinor } from '@app/domain';

/** What each line has had refunded once `refundedMinor` of the attempt has been refunded in all. */
export function refundedPerLineMinor(lineTotalsMinor: readonly number[], refundedMinor: number): number[] {
  const total = lineTotalsMinor.reduce((sum, line) => sum + BigInt(line), 0n);
  if (total <= 0n || refundedMinor <= 0) return lineTotalsMinor.map(() => 0);
  const refunded = BigInt(refundedMinor);
  let cumulative = 0n;
  let allocated = 0n;
  return lineTotalsMinor.map((line, index) => {
    cumulative += BigInt(line);
    // The last line's cumulative total is the attempt's total: it takes whatever is left.
    const upTo =
      index === lineTotalsMinor.length - 1
        ? refunded
        : divideRoundHalfAwayFromZero(cumulative * refunded, total);
    const share = upTo - allocated;
    allocated = upTo;
    return toMinor(share);
  });
}

/** Each line's share of one refund, given what was refunded on the attempt before it. */
export function refundSharesMinor(
  lineTotalsMinor: readonly number[],
  refundedBeforeMinor: number,
  refundMinor: number,
): number[] {
  const before = refundedPerLineMinor(lineTotalsMinor, refundedBeforeMinor);
  const after = refundedPerLineMinor(lineTotalsMinor, refundedBeforeMinor + refundMinor);
  return after.map((amount, index) => amount - (before[index] ?? 0));
}
