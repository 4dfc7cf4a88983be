/** How a payout batch is answered: the JSON view (create, list, read) and the CSV of its lines. */
import type { PayoutBatchCreatedData, PayoutMethod, SkipReason } from '@app/domain';
import { csvDocument } from '../reports/shared/csv';

export interface BatchView {
  batchId: string;
  method: PayoutMethod;
  from: string | null;
  to: string | null;
  payDate: string | null;
  cutoff: string | null;
  paidAt: string;
  paymentType: string;
  minimumAmount: number;
  currency: string;
  payments: { partnerId: string; amount: number; paymentId: string }[];
  skipped: { partnerId: string; amount: number; reason: SkipReason }[];
  total: number;
}

export function batchView(batch: PayoutBatchCreatedData): BatchView {
  return {
    batchId: batch.batchId,
    method: batch.method,
    from: batch.from,
    to: batch.to,
    payDate: batch.payDate,
    cutoff: batch.cutoff,
    paidAt: batch.paidAt,
    paymentType: batch.paymentType,
    minimumAmount: batch.minimumAmountMinor,
    currency: batch.currency,
    ...batchLines(batch),
    total: batch.totalMinor,
  };
}

/** A batch's payments and skips as answered (the batch views, the webhook payload): amounts in minor units. */
export function batchLines(batch: PayoutBatchCreatedData): Pick<BatchView, 'payments' | 'skipped'> {
  return {
    payments: batch.payments.map((p) => ({
      partnerId: p.partnerId,
      amount: p.amountMinor,
      paymentId: p.paymentId,
    })),
    skipped: batch.skipped.map((s) => ({ partnerId: s.partnerId, amount: s.amountMinor, reason: s.reason })),
  };
}

export const BATCH_CSV_COLUMNS = [
  'batchId',
  'partnerId',
  'paymentId',
  'amount',
  'currency',
  'paymentType',
  'paidAt',
  'status',
  'reason',
];

/** Text cells that a spreadsheet would run as a formula are neutralised; amounts stay numbers (csv.ts). */
export function batchCsv(batch: PayoutBatchCreatedData): string {
  const common = [batch.currency, batch.paymentType, batch.paidAt] as const;
  return csvDocument(BATCH_CSV_COLUMNS, [
    ...batch.payments.map((p) => [
      batch.batchId,
      p.partnerId,
      p.paymentId,
      p.amountMinor,
      ...common,
      'paid',
      '',
    ]),
    ...batch.skipped.map((s) => [
      batch.batchId,
      s.partnerId,
      '',
      s.amountMinor,
      ...common,
      'skipped',
      s.reason,
    ]),
  ]);
}
