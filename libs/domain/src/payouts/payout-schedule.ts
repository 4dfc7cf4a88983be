// The payout schedule: "commissions up to the 15th of the previous month are paid on the 15th" (seed 000).
import type { LedgerEntry } from '../ledger/ledger';
import { toMinor } from '../money/money';
import type { LocalDay } from '../time/business-calendar';
import { addDaysToLocalDay, isLocalDay, startOfLocalDay } from '../time/business-calendar';
import type { IsoInstant } from '../time/instant';
import { toEpochMs } from '../time/instant';

/** End of `cutoffDay` of the month before `payDate`, in the timezone, as an exclusive instant bound. */
export function cutoffFor(payDate: LocalDay, cutoffDay: number, timezone: string): IsoInstant {
  if (!isLocalDay(payDate)) throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${payDate}`);
  if (!Number.isInteger(cutoffDay) || cutoffDay < 1 || cutoffDay > 28) {
    throw new RangeError(`cutoffDay must be 1..28: ${cutoffDay}`);
  }
  const year = Number(payDate.slice(0, 4));
  const month = Number(payDate.slice(5, 7));
  const [cutoffYear, cutoffMonth] = month === 1 ? [year - 1, 12] : [year, month - 1];
  const cutoffDayLocal = `${String(cutoffYear).padStart(4, '0')}-${String(cutoffMonth).padStart(2, '0')}-${String(cutoffDay).padStart(2, '0')}`;
  return startOfLocalDay(addDaysToLocalDay(cutoffDayLocal, 1), timezone);
}

export type PartnerDue = {
  /** Commissions net of clawbacks and adjustments before the cutoff. */
  earnedThroughCutoff: number;
  /** Every payment recorded so far, whenever it was made (positive). */
  paidSoFar: number;
  due: number;
  eligible: boolean;
};

/** What one partner is due on a pay date, from all of its ledger entries. */
export function dueFor(
  entries: readonly LedgerEntry[],
  cutoff: IsoInstant,
  minimumBalance: number,
): PartnerDue {
  const cutoffMs = toEpochMs(cutoff);
  let earned = 0n;
  let paid = 0n;
  for (const entry of entries) {
    if (entry.type === 'payment') paid -= BigInt(entry.amountMinor);
    else if (toEpochMs(entry.occurredAt) < cutoffMs) earned += BigInt(entry.amountMinor);
  }
  const due = toMinor(earned - paid);
  return {
    earnedThroughCutoff: toMinor(earned),
    paidSoFar: toMinor(paid),
    due,
    eligible: due > 0 && due >= minimumBalance,
  };
}
