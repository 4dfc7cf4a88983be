/**
 * Reads the ledger read model: the per-partner report over a range of local days (beginning balance,
 * the four kinds of movement, ending balance) and one partner's entries with their running balance.
 * The beginning balance is the stored balance of the partner's last entry before the range.
 */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { CommissionLevel, CommissionRole, LedgerEntryType } from '@app/domain';
import { Database, notFound } from '@app/platform';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import type { ReportWindowRequest } from '../shared/report-range.request';
import { ReportWindows, toCount } from '../shared/report-window';
import type { LedgerReportRequest } from './ledger.request';

export interface LedgerTotals {
  beginningBalance: number;
  /** Reported positive. */
  commissions: number;
  /** Reported positive, like payments. */
  clawbacks: number;
  /** Signed. */
  adjustments: number;
  payments: number;
  endingBalance: number;
}

export interface LedgerReportRow extends LedgerTotals {
  partnerId: string;
  partnerCode: string;
}

export interface LedgerReport {
  from: string;
  to: string;
  currency: string;
  rows: LedgerReportRow[];
}

export interface PartnerLedgerEntry {
  /** What the entry is about (commission, `<commissionId>:<refundId>`, payment or adjustment id): a label. */
  entryId: string;
  /** The entry's identity: the id of the event that made it, unique in the whole log. */
  eventId: string;
  occurredAt: string;
  type: LedgerEntryType;
  /** Signed: commissions and positive adjustments +, clawbacks, payments and negative adjustments -. */
  amount: number;
  /** The partner's balance after this entry. */
  balance: number;
  attemptId?: string;
  productId?: string;
  commissionId?: string;
  role?: CommissionRole;
  level?: CommissionLevel;
  refundId?: string;
  batchId?: string;
  paymentType?: string;
  reason?: string;
}

export interface PartnerLedger extends LedgerTotals {
  partnerId: string;
  partnerCode: string;
  from: string;
  to: string;
  currency: string;
  entries: PartnerLedgerEntry[];
}

export class LedgerReportQuery extends Query<LedgerReport> {
  constructor(readonly request: LedgerReportRequest) {
    super();
  }
}

export class PartnerLedgerQuery extends Query<PartnerLedger> {
  constructor(
    readonly partnerId: string,
    readonly request: ReportWindowRequest,
  ) {
    super();
  }
}

interface TotalsRow {
  beginning: string;
  commissions: string;
  clawbacks: string;
  adjustments: string;
  payments: string;
}

function totals(row: TotalsRow): LedgerTotals {
  const beginningBalance = toCount(row.beginning);
  const commissions = toCount(row.commissions);
  const clawbacks = 0 - toCount(row.clawbacks);
  const adjustments = toCount(row.adjustments);
  const payments = 0 - toCount(row.payments);
  return {
    beginningBalance,
    commissions,
    clawbacks,
    adjustments,
    payments,
    endingBalance: beginningBalance + commissions - clawbacks + adjustments - payments,
  };
}

/** Per partner ($p = partner id column): the balance before $1 and the sums of [$1, $2). */
const TOTALS_SQL = (partner: string) => `
  coalesce((SELECT b.balance_minor FROM ledger_entries b
             WHERE b.partner_id = ${partner} AND b.occurred_at < $1::timestamptz
             ORDER BY b.occurred_at DESC, b.log_txid DESC, b.log_seq DESC LIMIT 1), 0)::text AS beginning,
  coalesce(s.commissions, 0)::text AS commissions, coalesce(s.clawbacks, 0)::text AS clawbacks,
  coalesce(s.adjustments, 0)::text AS adjustments, coalesce(s.payments, 0)::text AS payments`;

const SUMS_SQL = `
  SELECT partner_id,
         sum(amount_minor) FILTER (WHERE entry_type = 'commission') AS commissions,
         sum(amount_minor) FILTER (WHERE entry_type = 'clawback') AS clawbacks,
         sum(amount_minor) FILTER (WHERE entry_type = 'adjustment') AS adjustments,
         sum(amount_minor) FILTER (WHERE entry_type = 'payment') AS payments
    FROM ledger_entries
   WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz`;

@QueryHandler(LedgerReportQuery)
export class LedgerReportHandler implements IQueryHandler<LedgerReportQuery> {
  constructor(
    private readonly database: Database,
    private readonly windows: ReportWindows,
  ) {}

  /** Every partner with a ledger entry before the end of the range, by partner id. */
  async execute({ request }: LedgerReportQuery): Promise<LedgerReport> {
    const window = await this.windows.open(request);
    const params: unknown[] = [window.startInclusive, window.endExclusive];
    const filters: string[] = [];
    if (request.partnerId !== undefined) {
      params.push(request.partnerId);
      filters.push(`p.partner_id = $${params.length}`);
    }
    if (request.programId !== undefined) {
      params.push([request.programId]);
      filters.push(`p.program_ids @> $${params.length}::text[]`);
    }
    const { rows } = await this.database.query<TotalsRow & { partner_id: string; code: string }>(
      `SELECT p.partner_id, p.code, ${TOTALS_SQL('p.partner_id')}
         FROM ledger_partners p
         LEFT JOIN (${SUMS_SQL} GROUP BY partner_id) s ON s.partner_id = p.partner_id
        WHERE EXISTS (SELECT 1 FROM ledger_entries e WHERE e.partner_id = p.partner_id AND e.occurred_at < $2::timestamptz)
          ${filters.map((f) => `AND ${f}`).join(' ')}
        ORDER BY p.partner_id COLLATE "C"`,
      params,
    );
    return {
      from: window.from,
      to: window.to,
      currency: window.currency,
      rows: rows.map((row) => ({ partnerId: row.partner_id, partnerCode: row.code, ...totals(row) })),
    };
  }
}

interface EntryRow {
  entry_type: LedgerEntryType;
  entry_id: string;
  event_id: string;
  occurred_at: Date;
  amount_minor: string;
  balance_minor: string;
  attempt_id: string | null;
  product_id: string | null;
  commission_id: string | null;
  role: CommissionRole | null;
  level: number | null;
  refund_id: string | null;
  batch_id: string | null;
  payment_type: string | null;
  reason: string | null;
}

function entryView(row: EntryRow): PartnerLedgerEntry {
  const entry: PartnerLedgerEntry = {
    entryId: row.entry_id,
    eventId: row.event_id,
    occurredAt: row.occurred_at.toISOString(),
    type: row.entry_type,
    amount: toCount(row.amount_minor),
    balance: toCount(row.balance_minor),
  };
  if (row.attempt_id !== null) entry.attemptId = row.attempt_id;
  if (row.product_id !== null) entry.productId = row.product_id;
  if (row.commission_id !== null) entry.commissionId = row.commission_id;
  if (row.role !== null) entry.role = row.role;
  if (row.level !== null) entry.level = row.level as CommissionLevel;
  if (row.refund_id !== null) entry.refundId = row.refund_id;
  if (row.batch_id !== null) entry.batchId = row.batch_id;
  if (row.payment_type !== null) entry.paymentType = row.payment_type;
  if (row.reason !== null) entry.reason = row.reason;
  return entry;
}

@QueryHandler(PartnerLedgerQuery)
export class PartnerLedgerHandler implements IQueryHandler<PartnerLedgerQuery> {
  constructor(
    private readonly database: Database,
    private readonly windows: ReportWindows,
    private readonly partners: WriteModelQueries,
  ) {}

  /** 404 for a partner that was never enrolled; an enrolled partner without entries has an empty ledger. */
  async execute({ partnerId, request }: PartnerLedgerQuery): Promise<PartnerLedger> {
    const window = await this.windows.open(request);
    const partner = await this.partners.partner(partnerId);
    if (!partner) throw notFound(`No partner ${partnerId}`);
    const params = [window.startInclusive, window.endExclusive, partnerId];
    const summary = await this.database.query<TotalsRow>(
      `SELECT ${TOTALS_SQL('$3')} FROM (SELECT 1) one LEFT JOIN (${SUMS_SQL} AND partner_id = $3 GROUP BY partner_id) s ON true`,
      params,
    );
    const entries = await this.database.query<EntryRow>(
      `SELECT entry_type, entry_id, event_id, occurred_at, amount_minor::text, balance_minor::text, attempt_id, product_id,
              commission_id, role, level, refund_id, batch_id, payment_type, reason
         FROM ledger_entries
        WHERE partner_id = $3 AND occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
        ORDER BY occurred_at, log_txid, log_seq`,
      params,
    );
    const { endingBalance, ...rest } = totals(summary.rows[0]!);
    return {
      partnerId,
      partnerCode: partner.code,
      from: window.from,
      to: window.to,
      currency: window.currency,
      ...rest,
      entries: entries.rows.map(entryView),
      endingBalance,
    };
  }
}
