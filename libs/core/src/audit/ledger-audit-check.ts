/**
 * The independent ledger check of verify: the ledger read model must equal, for every partner and
 * entry by entry, the ledger the audit path computes from the log with the pure domain
 * (`ledgerEntryFrom`, `summarizeLedger`) — not with the projection's code, so a defect of the
 * projection (an entry dropped, a wrong balance) cannot hide behind a replay of itself.
 *
 * Partners are checked a page at a time, each page in its own short read-only snapshot that holds the
 * ledger checkpoint, the page's money events up to it and the page's read-model entries; nothing long
 * is held open, whatever the size of the log.
 */
import { Injectable } from '@nestjs/common';
import {
  type DomainEvent,
  type LedgerEntry,
  type LedgerLine,
  ledgerEntryFrom,
  summarizeLedger,
} from '@app/domain';
import { Database } from '@app/platform';
import type { ReadModelCheck, VerifyProgress } from './audit-verifier';
import type { ReadModelDifference } from './chain-verifier';

export const LEDGER_AUDIT_READ_MODEL = 'ledger-audit';
export const LEDGER_PERIODS_READ_MODEL = 'ledger-audit:periods';
const PARTNERS_PER_SNAPSHOT = 200;
const MAX_DIFFERENCES = 100;
/** Wider than any instant an event can carry (years 1970..9999). */
const EARLIEST = '0001-01-01T00:00:00.000Z';
const LATEST = '9999-12-31T23:59:59.999Z';

/** The fields of an entry that the two sides must agree on, in the shape the API answers. */
export interface ComparedEntry {
  partnerId: string;
  eventId: string;
  entryId: string;
  type: string;
  occurredAt: string;
  amount: number;
  balance: number;
  attemptId: string | null;
  productId: string | null;
  commissionId: string | null;
  refundId: string | null;
  batchId: string | null;
  paymentType: string | null;
}

function fromDomain(line: LedgerLine): ComparedEntry {
  return {
    partnerId: line.partnerId,
    eventId: line.eventId,
    entryId: line.entryId,
    type: line.type,
    occurredAt: line.occurredAt,
    amount: line.amountMinor,
    balance: line.balanceMinor,
    attemptId: line.attemptId ?? null,
    productId: line.productId ?? null,
    commissionId: line.commissionId ?? null,
    refundId: line.refundId ?? null,
    batchId: line.batchId ?? null,
    paymentType: line.paymentType ?? null,
  };
}

const same = (a: ComparedEntry, b: ComparedEntry) =>
  (Object.keys(a) as (keyof ComparedEntry)[]).every((field) => a[field] === b[field]);

interface EventRow {
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  occurred_at: Date;
}

interface EntryRow {
  partner_id: string;
  event_id: string;
  entry_id: string;
  entry_type: string;
  occurred_at: Date;
  amount_minor: string;
  balance_minor: string;
  attempt_id: string | null;
  product_id: string | null;
  commission_id: string | null;
  refund_id: string | null;
  batch_id: string | null;
  payment_type: string | null;
}

interface PeriodRow {
  partner_id: string;
  period: string;
  start: Date;
  commissions: string;
  clawbacks: string;
  adjustments: string;
  payments: string;
  entries: string;
}

interface PeriodSums {
  commissions: number;
  clawbacks: number;
  adjustments: number;
  payments: number;
  entries: number;
}

/** The sums of each partner's UTC days, months and years, keyed `<partner>/<D|M|Y>/<start>`. */
function periodSums(entries: readonly LedgerEntry[]): Map<string, PeriodSums> {
  const sums = new Map<string, PeriodSums>();
  const column = {
    commission: 'commissions',
    clawback: 'clawbacks',
    adjustment: 'adjustments',
    payment: 'payments',
  } as const;
  for (const entry of entries) {
    const at = new Date(entry.occurredAt);
    const starts: [string, Date][] = [
      ['D', new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))],
      ['M', new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1))],
      ['Y', new Date(Date.UTC(at.getUTCFullYear(), 0, 1))],
    ];
    for (const [period, start] of starts) {
      const key = `${entry.partnerId}/${period}/${start.toISOString()}`;
      const row = sums.get(key) ?? { commissions: 0, clawbacks: 0, adjustments: 0, payments: 0, entries: 0 };
      row[column[entry.type]] += entry.amountMinor;
      row.entries += 1;
      sums.set(key, row);
    }
  }
  return sums;
}

@Injectable()
export class LedgerAuditCheck implements ReadModelCheck {
  readonly readModel = LEDGER_AUDIT_READ_MODEL;

  constructor(private readonly database: Database) {}

  async check(
    onProgress?: (progress: VerifyProgress) => void,
  ): Promise<{ checkedEvents: number; differences: ReadModelDifference[] }> {
    const partners = await this.partners();
    const differences: ReadModelDifference[] = [];
    let checkedEvents = 0;
    for (let i = 0; i < partners.length; i += PARTNERS_PER_SNAPSHOT) {
      const page = partners.slice(i, i + PARTNERS_PER_SNAPSHOT);
      const result = await this.checkPartners(page);
      checkedEvents += result.checkedEvents;
      for (const difference of result.differences) {
        if (differences.length < MAX_DIFFERENCES) differences.push(difference);
      }
      onProgress?.({
        step: 'ledger audit (partners)',
        done: Math.min(partners.length, i + page.length),
        total: partners.length,
      });
    }
    return { checkedEvents, differences };
  }

  /** Every partner that has a money event in the log or an entry in the read model. */
  private async partners(): Promise<string[]> {
    const { rows } = await this.database.query<{ partner_id: string }>(
      // The type list is written out so that PostgreSQL uses the partial index events_partner_money.
      `SELECT DISTINCT data->>'partnerId' AS partner_id FROM events
        WHERE type IN ('CommissionEarned', 'CommissionClawedBack', 'PartnerPaid', 'LedgerAdjusted')
       UNION
       SELECT DISTINCT partner_id FROM ledger_entries`,
    );
    return rows
      .map((row) => row.partner_id)
      .filter((id) => typeof id === 'string')
      .sort();
  }

  async checkPartners(
    partnerIds: readonly string[],
  ): Promise<{ checkedEvents: number; differences: ReadModelDifference[] }> {
    // A read-only snapshot takes no transaction id: it holds back no follower of the log.
    const { events, stored, periods } = await this.database.transaction(
      async (tx) => {
        const checkpoint = await tx.query<{ txid: string; seq: string }>(
          `SELECT transaction_id::text AS txid, global_position::text AS seq FROM projection_checkpoints WHERE name = 'ledger'`,
        );
        const at = checkpoint.rows[0] ?? { txid: '0', seq: '0' };
        const events = (
          await tx.query<EventRow>(
            `SELECT event_id, type, data, occurred_at FROM events
              WHERE type IN ('CommissionEarned', 'CommissionClawedBack', 'PartnerPaid', 'LedgerAdjusted')
                AND data->>'partnerId' = ANY($1)
                AND (transaction_id, global_position) <= ($2::xid8, $3::bigint)
              ORDER BY transaction_id, global_position`,
            [partnerIds, at.txid, at.seq],
          )
        ).rows;
        const stored = (
          await tx.query<EntryRow>(
            `SELECT partner_id, event_id, entry_id, entry_type, occurred_at, amount_minor::text,
                    (sum(amount_minor) OVER (PARTITION BY partner_id ORDER BY occurred_at, log_txid, log_seq))::text
                      AS balance_minor,
                    attempt_id, product_id, commission_id, refund_id, batch_id, payment_type
               FROM ledger_entries WHERE partner_id = ANY($1)
              ORDER BY partner_id, occurred_at, log_txid, log_seq`,
            [partnerIds],
          )
        ).rows;
        const periods = (
          await tx.query<PeriodRow>(
            `SELECT partner_id, period, start, commissions::text, clawbacks::text, adjustments::text, payments::text,
                    entries::text
               FROM ledger_periods WHERE partner_id = ANY($1)`,
            [partnerIds],
          )
        ).rows;
        return { events, stored, periods };
      },
      { isolation: 'repeatable read', readOnly: true },
    );

    const expectedByPartner = new Map<string, LedgerEntry[]>();
    for (const row of events) {
      const entry = ledgerEntryFrom(
        { type: row.type, data: row.data } as unknown as DomainEvent,
        row.occurred_at.toISOString(),
        row.event_id,
      );
      if (!entry) continue;
      const own = expectedByPartner.get(entry.partnerId) ?? [];
      own.push(entry);
      expectedByPartner.set(entry.partnerId, own);
    }
    const expected = new Map<string, ComparedEntry>();
    for (const entries of expectedByPartner.values()) {
      for (const line of summarizeLedger(entries, EARLIEST, LATEST).entries) {
        const compared = fromDomain(line);
        expected.set(`${compared.partnerId}/${compared.eventId}`, compared);
      }
    }
    const actual = new Map<string, ComparedEntry>();
    for (const row of stored) {
      const compared: ComparedEntry = {
        partnerId: row.partner_id,
        eventId: row.event_id,
        entryId: row.entry_id,
        type: row.entry_type,
        occurredAt: row.occurred_at.toISOString(),
        amount: Number(row.amount_minor),
        balance: Number(row.balance_minor),
        attemptId: row.attempt_id,
        productId: row.product_id,
        commissionId: row.commission_id,
        refundId: row.refund_id,
        batchId: row.batch_id,
        paymentType: row.payment_type,
      };
      actual.set(`${compared.partnerId}/${compared.eventId}`, compared);
    }

    const differences: ReadModelDifference[] = [];
    // The period sums the reports read balances from must add up the same entries.
    const expectedPeriods = periodSums([...expectedByPartner.values()].flat());
    const actualPeriods = new Map<string, PeriodSums>();
    for (const row of periods) {
      const sums: PeriodSums = {
        commissions: Number(row.commissions),
        clawbacks: Number(row.clawbacks),
        adjustments: Number(row.adjustments),
        payments: Number(row.payments),
        entries: Number(row.entries),
      };
      actualPeriods.set(`${row.partner_id}/${row.period}/${row.start.toISOString()}`, sums);
    }
    for (const [key, sums] of expectedPeriods) {
      const found = actualPeriods.get(key);
      if (!found || JSON.stringify(found) !== JSON.stringify(sums))
        differences.push({
          readModel: LEDGER_PERIODS_READ_MODEL,
          key,
          expected: sums,
          actual: found ?? null,
        });
    }
    for (const [key, sums] of actualPeriods) {
      if (!expectedPeriods.has(key))
        differences.push({ readModel: LEDGER_PERIODS_READ_MODEL, key, expected: null, actual: sums });
    }
    for (const [key, entry] of expected) {
      const found = actual.get(key);
      if (!found || !same(entry, found))
        differences.push({ readModel: LEDGER_AUDIT_READ_MODEL, key, expected: entry, actual: found ?? null });
    }
    for (const [key, entry] of actual) {
      if (!expected.has(key))
        differences.push({ readModel: LEDGER_AUDIT_READ_MODEL, key, expected: null, actual: entry });
    }
    return { checkedEvents: events.length, differences };
  }
}
