// Batch payments over a ledger report (domain.md 10, seed 002): amounts per method, skips, the batch record.
import type {
  PartnerPaidData,
  PayoutBatchCreatedData,
  PayoutBatchSkip,
  PayoutMethod,
  SkipReason,
} from '../events/domain-events';
import type { LedgerSummary } from '../ledger/ledger';
import { sumMinor, toMinor } from '../money/money';
import type { LocalDay } from '../time/business-calendar';
import { isLocalDay } from '../time/business-calendar';

/** The methods computed from a ledger report; `due` comes from the payout schedule instead. */
export type ReportPayoutMethod = Exclude<PayoutMethod, 'due'>;

export function payoutAmount(
  method: ReportPayoutMethod,
  summary: Pick<
    LedgerSummary,
    'beginningBalance' | 'commissions' | 'clawbacks' | 'adjustments' | 'endingBalance'
  >,
): number {
  // "Commission earned" is net of clawbacks and adjustments (domain.md 10).
  const earned = toMinor(
    BigInt(summary.commissions) - BigInt(summary.clawbacks) + BigInt(summary.adjustments),
  );
  switch (method) {
    case 'earned-in-range':
      return earned;
    case 'beginning-plus-earned':
      return toMinor(BigInt(summary.beginningBalance) + BigInt(earned));
    case 'ending-balance':
      return summary.endingBalance;
    default: {
      const unexpected: never = method;
      return unexpected;
    }
  }
}

/** Why a partner is left out of a batch, or null when it is paid. */
export function skipReason(amountMinor: number, minimumAmountMinor: number): SkipReason | null {
  if (amountMinor === 0) return 'zero';
  if (amountMinor < 0) return 'negative';
  if (amountMinor < minimumAmountMinor) return 'below-minimum';
  return null;
}

/** `Batch-YYYYMMDD` of the payment's local day, e.g. Batch-20150624. */
export function defaultBatchId(paidAtDayLocal: LocalDay): string {
  if (!isLocalDay(paidAtDayLocal)) throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${paidAtDayLocal}`);
  return `Batch-${paidAtDayLocal.replaceAll('-', '')}`;
}

export function batchPaymentId(batchId: string, partnerId: string): string {
  return `${batchId}:${partnerId}`;
}

export type PlanPayoutBatchInput = Omit<PayoutBatchCreatedData, 'payments' | 'skipped' | 'totalMinor'> & {
  /** One amount per partner, computed with the batch's method. */
  candidates: readonly { partnerId: string; amountMinor: number }[];
};

/** Splits candidates into payments and skips; returns the batch record and one PartnerPaid per payment. */
export function planPayoutBatch(input: PlanPayoutBatchInput): {
  batch: PayoutBatchCreatedData;
  payments: PartnerPaidData[];
} {
  const { candidates, ...header } = input;
  const sorted = [...candidates].sort((a, b) =>
    a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0,
  );
  const payments: PartnerPaidData[] = [];
  const skipped: PayoutBatchSkip[] = [];
  for (const { partnerId, amountMinor } of sorted) {
    const reason = skipReason(amountMinor, input.minimumAmountMinor);
    if (reason !== null) {
      skipped.push({ partnerId, amountMinor, reason });
      continue;
    }
    payments.push({
      paymentId: batchPaymentId(input.batchId, partnerId),
      partnerId,
      amountMinor,
      currency: input.currency,
      paymentType: input.paymentType,
      paidAt: input.paidAt,
      note: null,
      batchId: input.batchId,
    });
  }
  const batch: PayoutBatchCreatedData = {
    ...header,
    payments: payments.map(({ partnerId, amountMinor, paymentId }) => ({
      partnerId,
      amountMinor,
      paymentId,
    })),
    skipped,
    totalMinor: sumMinor(payments.map((payment) => payment.amountMinor)),
  };
  return { batch, payments };
}
