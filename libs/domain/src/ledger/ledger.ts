// A partner's ledger: entries derived from money events, and the report over a range of instants.
import type { CommissionLevel, CommissionRole, DomainEvent } from '../events/domain-events';
import { toMinor } from '../money/money';
import type { IsoInstant } from '../time/instant';
import { toEpochMs } from '../time/instant';

export const LEDGER_ENTRY_TYPES = ['commission', 'clawback', 'adjustment', 'payment'] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

export type LedgerEntry = {
  /**
   * The identity of the entry: the id of the event that made it. Event ids are unique in the whole
   * log and every money event makes at most one entry, so two distinct facts can never share it.
   */
  eventId: string;
  /**
   * What the entry is about, for people: the commission id, `<commissionId>:<refundId>` for a
   * clawback, the payment or adjustment id. Built from client-chosen ids, so it is a label, not a
   * key: two entries may show the same one (a manual payment `X:ben` and batch `X`'s payment to ben).
   */
  entryId: string;
  partnerId: string;
  occurredAt: IsoInstant;
  type: LedgerEntryType;
  /** Signed: commissions +, clawbacks -, payments -, adjustments either way. */
  amountMinor: number;
  attemptId?: string;
  productId?: string;
  commissionId?: string;
  role?: CommissionRole;
  level?: CommissionLevel;
  refundId?: string;
  batchId?: string;
  paymentType?: string;
};

export type LedgerLine = LedgerEntry & { balanceMinor: number };

export type LedgerSummary = {
  beginningBalance: number;
  commissions: number;
  /** Reported positive, like payments. */
  clawbacks: number;
  /** Signed. */
  adjustments: number;
  payments: number;
  endingBalance: number;
  entries: LedgerLine[];
};

/**
 * The ledger entry an event makes, or null for events that do not move money. `occurredAt` is the
 * event's own time: for commissions and clawbacks, that of the collection or refund that caused them.
 * Payments and adjustments carry their business time (paidAt, occurredAt) in the payload, which wins.
 * `eventId`, the recorded event's id, is the entry's identity.
 */
export function ledgerEntryFrom(
  event: DomainEvent,
  occurredAt: IsoInstant,
  eventId: string,
): LedgerEntry | null {
  switch (event.type) {
    case 'CommissionEarned': {
      const { data } = event;
      return {
        eventId,
        entryId: data.commissionId,
        partnerId: data.partnerId,
        occurredAt,
        type: 'commission',
        amountMinor: data.amountMinor,
        attemptId: data.attemptId,
        productId: data.productId,
        commissionId: data.commissionId,
        role: data.role,
        level: data.level,
      };
    }
    case 'CommissionClawedBack': {
      const { data } = event;
      return {
        eventId,
        entryId: `${data.commissionId}:${data.refundId}`,
        partnerId: data.partnerId,
        occurredAt,
        type: 'clawback',
        amountMinor: -data.amountMinor,
        attemptId: data.attemptId,
        productId: data.productId,
        commissionId: data.commissionId,
        refundId: data.refundId,
      };
    }
    case 'LedgerAdjusted':
      return {
        eventId,
        entryId: event.data.adjustmentId,
        partnerId: event.data.partnerId,
        occurredAt: event.data.occurredAt,
        type: 'adjustment',
        amountMinor: event.data.amountMinor,
      };
    case 'PartnerPaid': {
      const { data } = event;
      const entry: LedgerEntry = {
        eventId,
        entryId: data.paymentId,
        partnerId: data.partnerId,
        occurredAt: data.paidAt,
        type: 'payment',
        amountMinor: -data.amountMinor,
        paymentType: data.paymentType,
      };
      if (data.batchId !== null) entry.batchId = data.batchId;
      return entry;
    }
    case 'SettingsChanged':
    case 'ProgramDefined':
    case 'PartnerEnrolled':
    case 'PartnerChanged':
    case 'LinkDefined':
    case 'AdCreated':
    case 'LinkClicked':
    case 'ContactOptedIn':
    case 'ReferralRecorded':
    case 'PurchaseAttempted':
    case 'AttemptAttributed':
    case 'PaymentCollected':
    case 'PaymentDeclined':
    case 'RefundIssued':
    case 'PayoutBatchCreated':
      return null;
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

/** Entries in time order; entries at the same instant keep their given (log) order. */
export function sortLedgerEntries<T extends LedgerEntry>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => toEpochMs(a.occurredAt) - toEpochMs(b.occurredAt));
}

export function ledgerBalance(entries: readonly LedgerEntry[]): number {
  return toMinor(entries.reduce((total, entry) => total + BigInt(entry.amountMinor), 0n));
}

/**
 * The ledger report over [fromInclusive, toExclusive): balance before the range, the four columns for
 * entries inside it, and those entries with the running balance. Entries after the range are ignored.
 * Balance = commissions - clawbacks + adjustments - payments.
 */
export function summarizeLedger(
  entries: readonly LedgerEntry[],
  fromInclusive: IsoInstant,
  toExclusive: IsoInstant,
): LedgerSummary {
  const fromMs = toEpochMs(fromInclusive);
  const toMs = toEpochMs(toExclusive);
  let beginning = 0n;
  const totals: Record<LedgerEntryType, bigint> = {
    commission: 0n,
    clawback: 0n,
    adjustment: 0n,
    payment: 0n,
  };
  const lines: LedgerLine[] = [];
  let running = 0n;
  for (const entry of sortLedgerEntries(entries)) {
    const atMs = toEpochMs(entry.occurredAt);
    if (atMs >= toMs) continue;
    if (atMs < fromMs) {
      beginning += BigInt(entry.amountMinor);
      continue;
    }
    totals[entry.type] += BigInt(entry.amountMinor);
    running += BigInt(entry.amountMinor);
    lines.push({ ...entry, balanceMinor: toMinor(beginning + running) });
  }
  return {
    beginningBalance: toMinor(beginning),
    commissions: toMinor(totals.commission),
    clawbacks: toMinor(-totals.clawback),
    adjustments: toMinor(totals.adjustment),
    payments: toMinor(-totals.payment),
    endingBalance: toMinor(beginning + running),
    entries: lines,
  };
}
