/** The JSON shapes of attempts and commissions, with every commission's explanation. */
import type { AttemptAttributedData, CommissionEarnedData, PurchaseAttemptedData } from '@app/domain';
import type { AttemptResponse, CommissionResponse } from './attempt.responses';

export function commissionView(earned: CommissionEarnedData, clawedBackMinor: number): CommissionResponse {
  return {
    commissionId: earned.commissionId,
    partnerId: earned.partnerId,
    attemptId: earned.attemptId,
    productId: earned.productId,
    role: earned.role,
    level: earned.level,
    unused: earned.unused,
    amount: earned.amountMinor,
    clawedBack: clawedBackMinor,
    currency: earned.currency,
    programId: earned.programId,
    ruleKind: earned.rule,
    rate: { flat: earned.rate.flatMinor, percent: earned.rate.percent },
    base: earned.baseMinor,
    quantity: earned.quantity,
    renewalNumber: earned.renewalNumber,
    attribution: earned.attribution,
    settingsApplied: earned.settingsApplied,
  };
}

/** A commissions row as the attempt and commission reads select it. */
export interface CommissionRow {
  earned: CommissionEarnedData;
  clawed_back_minor: string;
}

export interface AttemptRow {
  attempt_id: string;
  status: 'pending' | 'collected' | 'declined';
  total_minor: string;
  refunded_minor: string;
  attempted: PurchaseAttemptedData;
  attributed: AttemptAttributedData | null;
  attempted_at: Date;
  outcome_at: Date | null;
}

export function attemptView(row: AttemptRow, commissions: readonly CommissionRow[]): AttemptResponse {
  const a = row.attempted;
  return {
    attemptId: a.attemptId,
    orderId: a.orderId,
    contactId: a.contactId,
    kind: a.kind,
    subscriptionId: a.subscriptionId,
    status: row.status,
    currency: a.currency,
    items: a.items.map((i) => ({
      productId: i.productId,
      quantity: i.quantity,
      unitPrice: i.unitPriceMinor,
    })),
    total: Number(row.total_minor),
    refunded: Number(row.refunded_minor),
    attemptedAt: row.attempted_at.toISOString(),
    outcomeAt: row.outcome_at?.toISOString() ?? null,
    salePartnerId: row.attributed?.salePartnerId ?? null,
    leadPartnerId: row.attributed?.leadPartnerId ?? null,
    attribution: {
      sale: row.attributed?.saleAttribution ?? null,
      lead: row.attributed?.leadAttribution ?? null,
      renewalOf: row.attributed?.renewalOf ?? null,
    },
    commissions: commissions.map((c) => commissionView(c.earned, Number(c.clawed_back_minor))),
  };
}
