/**
 * Reads the ledger read model: the per-partner report over a range of local days (beginning balance,
 * the four kinds of movement, ending balance) and one partner's entries with their running balance.
 * Balances are computed when read: the beginning balance from the period sums (ledger_periods) and
 * the running balance of the range's entries with a window over them.
 */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type {
  CommissionLevel,
  CommissionRole,
  LedgerEntry,
  LedgerEntryType,
  LedgerSummary,
} from '@app/domain';
import { Database, type Queryable, notFound } from '@app/platform';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import type { ReportWindowRequest } from '../shared/report-range.request';
import { type InstantPieces, instantPieces } from '../shared/periods';
import { ReportWindows, sqlInstant, toCount } from '../shared/report-window';
import type { LedgerReportRequest } from './ledger.request';

/** The domain's ledger summary of a range, without its entries (commissions reported positive). */
export type LedgerTotals = Omit<LedgerSummary, 'entries'>;

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

/** A ledger entry as answered: the domain's entry (see LedgerEntry) with its amount and the balance after it. */
export type PartnerLedgerEntry = Omit<LedgerEntry, 'partnerId' | 'amountMinor'> & {
  /** Signed: commissions and positive adjustments +, clawbacks, payments and negative adjustments -. */
  amount: number;
  /** The partner's balance after this entry. */
  balance: number;
  reason?: string;
};

export interface PartnerLedger extends LedgerTotals {
  partnerId: string;
  partnerCode: string;
  from: string;
  to: string;
  currency: string;
  entries: PartnerLedgerEntry[];
}

export class LedgerReportQuery extends Query<LedgerReport> {
  constructor(
    readonly request: LedgerReportRequest,
    /** A connection the caller holds already (a batch's transaction), instead of the pool's. */
    readonly db?: Queryable,
  ) {
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

/**
 * The per-partner sums of the ledger over two buckets: 'b', everything before `start` (the beginning
 * balance), and 'r', [start, end). Each bucket is read from the period sums (whole UTC years, months,
 * days) and, for less than a day at each end, from the entries: a handful of index ranges, however
 * long the range or the history.
 */
function ledgerParts(start: string, end: string, params: unknown[], partnerId: string | undefined): string {
  const param = (instant: Date) => {
    params.push(sqlInstant(instant.toISOString()));
    return `$${params.length}::timestamptz`;
  };
  let partnerFilter = '';
  if (partnerId !== undefined) {
    params.push(partnerId);
    partnerFilter = ` AND partner_id = $${params.length}`;
  }
  const parts: string[] = [];
  const bucket = (name: 'b' | 'r', pieces: InstantPieces) => {
    for (const run of pieces.runs) {
      const lower = run.from === null ? '' : ` AND start >= ${param(run.from)}`;
      parts.push(
        `SELECT '${name}' AS bucket, partner_id, commissions, clawbacks, adjustments, payments FROM ledger_periods
          WHERE period = '${run.kind}'${lower} AND start < ${param(run.to)}${partnerFilter}`,
      );
    }
    for (const raw of pieces.raw) {
      const lower = raw.from === null ? '' : ` AND occurred_at >= ${param(raw.from)}`;
      parts.push(
        `SELECT '${name}' AS bucket, partner_id,
                coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'commission'), 0),
                coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'clawback'), 0),
                coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'adjustment'), 0),
                coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'payment'), 0)
           FROM ledger_entries WHERE occurred_at < ${param(raw.to)}${lower}${partnerFilter}
          GROUP BY partner_id`,
      );
    }
  };
  bucket('b', instantPieces(null, new Date(start)));
  bucket('r', instantPieces(new Date(start), new Date(end)));
  return parts.join('\n UNION ALL ');
}

/** Aggregates the parts of ledgerParts into one row per partner (`x` is the parts relation). */
const TOTALS_SQL = `
  coalesce(sum(x.commissions + x.clawbacks + x.adjustments + x.payments) FILTER (WHERE x.bucket = 'b'), 0)::text AS beginning,
  coalesce(sum(x.commissions) FILTER (WHERE x.bucket = 'r'), 0)::text AS commissions,
  coalesce(sum(x.clawbacks) FILTER (WHERE x.bucket = 'r'), 0)::text AS clawbacks,
  coalesce(sum(x.adjustments) FILTER (WHERE x.bucket = 'r'), 0)::text AS adjustments,
  coalesce(sum(x.payments) FILTER (WHERE x.bucket = 'r'), 0)::text AS payments`;

@QueryHandler(LedgerReportQuery)
export class LedgerReportHandler implements IQueryHandler<LedgerReportQuery> {
  constructor(
    private readonly database: Database,
    private readonly windows: ReportWindows,
  ) {}

  /** Every partner with a ledger entry before the end of the range, by partner id. */
  async execute({ request, db = this.database }: LedgerReportQuery): Promise<LedgerReport> {
    const window = await this.windows.open(request, db);
    const params: unknown[] = [];
    const parts = ledgerParts(window.startInclusive, window.endExclusive, params, request.partnerId);
    let programFilter = '';
    if (request.programId !== undefined) {
      params.push([request.programId]);
      programFilter = `WHERE p.program_ids @> $${params.length}::text[]`;
    }
    // A partner has parts exactly when it has an entry before the end of the range.
    const { rows } = await db.query<TotalsRow & { partner_id: string; code: string }>(
      `WITH x AS (${parts})
       SELECT p.partner_id, p.code, ${TOTALS_SQL}
         FROM x JOIN ledger_partners p ON p.partner_id = x.partner_id
         ${programFilter}
        GROUP BY p.partner_id, p.code
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
  /** The sum of the range's entries up to this one. */
  running_minor: string;
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

function entryView(row: EntryRow, beginning: bigint): PartnerLedgerEntry {
  const entry: PartnerLedgerEntry = {
    entryId: row.entry_id,
    eventId: row.event_id,
    occurredAt: row.occurred_at.toISOString(),
    type: row.entry_type,
    amount: toCount(row.amount_minor),
    balance: toCount((beginning + BigInt(row.running_minor)).toString()),
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
    const partsParams: unknown[] = [];
    const parts = ledgerParts(window.startInclusive, window.endExclusive, partsParams, partnerId);
    const summary = await this.database.query<TotalsRow>(
      `WITH x AS (${parts}) SELECT ${TOTALS_SQL} FROM x`,
      partsParams,
    );
    // The running balance is computed here: the beginning balance plus a window over the range.
    const entries = await this.database.query<EntryRow>(
      `SELECT entry_type, entry_id, event_id, occurred_at, amount_minor::text,
              (sum(amount_minor) OVER (ORDER BY occurred_at, log_txid, log_seq))::text AS running_minor,
              attempt_id, product_id, commission_id, role, level, refund_id, batch_id, payment_type, reason
         FROM ledger_entries
        WHERE partner_id = $3 AND occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
        ORDER BY occurred_at, log_txid, log_seq`,
      [sqlInstant(window.startInclusive), sqlInstant(window.endExclusive), partnerId],
    );
    const [summaryRow] = summary.rows;
    if (!summaryRow) throw new Error('The ledger totals query returned no row');
    const { endingBalance, ...rest } = totals(summaryRow);
    const beginning = BigInt(summaryRow.beginning);
    return {
      partnerId,
      partnerCode: partner.code,
      from: window.from,
      to: window.to,
      currency: window.currency,
      ...rest,
      entries: entries.rows.map((row) => entryView(row, beginning)),
      endingBalance,
    };
  }
}
