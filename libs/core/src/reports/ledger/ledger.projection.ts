/**
 * The partner ledger (domain.md 8-9): one entry per commission (+), clawback (-), adjustment (+/-) and
 * payment (-), identified by the event that made it. Entries are ordered by their time (payments:
 * paidAt; adjustments: their own occurredAt), then by log position, as summarizeLedger orders them.
 *
 * No running balance is stored: a back-dated entry would have to change every later one. Balances
 * are computed when read, from `ledger_periods` (per partner, the sums of each UTC day, month and
 * year) and a window over the entries of the range. Applying an event touches one entry and three
 * period rows, whatever the partner's history; a batch is one statement for both tables.
 */
import { ledgerEntryFrom, type LedgerEntry } from '@app/domain';
import type { ProjectionContext } from '@app/projections';
import { domainProjection } from '../../infrastructure/domain-projection';
import { applyReportEvents } from '../shared/report-projection';

export const LEDGER_TABLES = ['ledger_state', 'ledger_partners', 'ledger_entries', 'ledger_periods'] as const;

interface PendingEntry {
  readonly entry: LedgerEntry;
  readonly txid: string;
  readonly seq: string;
  readonly reason: string | null;
}

/** Inserts the batch's entries and adds them to their day, month and year, in one statement. */
async function addEntries(ctx: ProjectionContext, pending: readonly PendingEntry[]): Promise<void> {
  if (pending.length === 0) return;
  const column = <T>(pick: (p: PendingEntry) => T) => pending.map(pick);
  await ctx.query(
    `WITH added AS (
       INSERT INTO ${ctx.table('ledger_entries')}
         (event_id, entry_type, entry_id, partner_id, occurred_at, log_txid, log_seq, amount_minor, attempt_id,
          product_id, commission_id, role, level, refund_id, batch_id, payment_type, reason)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[], $7::bigint[],
                            $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::smallint[], $14::text[],
                            $15::text[], $16::text[], $17::text[])
       ON CONFLICT (event_id) DO NOTHING
       RETURNING partner_id, entry_type, occurred_at, amount_minor
     )
     INSERT INTO ${ctx.table('ledger_periods')} AS t
       (partner_id, period, start, commissions, clawbacks, adjustments, payments, entries)
     SELECT a.partner_id, p.period, date_trunc(p.unit, a.occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
            coalesce(sum(a.amount_minor) FILTER (WHERE a.entry_type = 'commission'), 0),
            coalesce(sum(a.amount_minor) FILTER (WHERE a.entry_type = 'clawback'), 0),
            coalesce(sum(a.amount_minor) FILTER (WHERE a.entry_type = 'adjustment'), 0),
            coalesce(sum(a.amount_minor) FILTER (WHERE a.entry_type = 'payment'), 0),
            count(*)
       FROM added a CROSS JOIN (VALUES ('D', 'day'), ('M', 'month'), ('Y', 'year')) AS p (period, unit)
      GROUP BY 1, 2, 3
     ON CONFLICT (partner_id, period, start) DO UPDATE
       SET commissions = t.commissions + EXCLUDED.commissions, clawbacks = t.clawbacks + EXCLUDED.clawbacks,
           adjustments = t.adjustments + EXCLUDED.adjustments, payments = t.payments + EXCLUDED.payments,
           entries = t.entries + EXCLUDED.entries`,
    [
      column((p) => p.entry.eventId),
      column((p) => p.entry.type),
      column((p) => p.entry.entryId),
      column((p) => p.entry.partnerId),
      column((p) => p.entry.occurredAt),
      column((p) => p.txid),
      column((p) => p.seq),
      column((p) => p.entry.amountMinor),
      column((p) => p.entry.attemptId ?? null),
      column((p) => p.entry.productId ?? null),
      column((p) => p.entry.commissionId ?? null),
      column((p) => p.entry.role ?? null),
      column((p) => p.entry.level ?? null),
      column((p) => p.entry.refundId ?? null),
      column((p) => p.entry.batchId ?? null),
      column((p) => p.entry.paymentType ?? null),
      column((p) => p.reason),
    ],
  );
}

export const ledgerProjection = domainProjection({
  name: 'ledger',
  handles: [
    'PartnerEnrolled',
    'PartnerSignedUp',
    'PartnerChanged',
    'CommissionEarned',
    'CommissionClawedBack',
    'LedgerAdjusted',
    'PartnerPaid',
  ],
  tables: LEDGER_TABLES,
  async apply(events, ctx) {
    const pending: PendingEntry[] = [];
    await applyReportEvents(ctx, 'ledger_state', events, async ({ event, recorded }) => {
      const partners = ctx.table('ledger_partners');
      switch (event.type) {
        case 'PartnerEnrolled':
        case 'PartnerSignedUp': {
          const { partner } = event.data;
          await ctx.query(
            `INSERT INTO ${partners} (partner_id, code, program_ids) VALUES ($1, $2, $3)
               ON CONFLICT (partner_id) DO UPDATE SET code = EXCLUDED.code, program_ids = EXCLUDED.program_ids`,
            [partner.id, partner.code, partner.programIds],
          );
          return;
        }
        case 'PartnerChanged':
          if (event.data.changes.programIds !== undefined) {
            await ctx.query(`UPDATE ${partners} SET program_ids = $2 WHERE partner_id = $1`, [
              event.data.partnerId,
              event.data.changes.programIds,
            ]);
          }
          return;
        case 'CommissionEarned':
        case 'CommissionClawedBack':
        case 'LedgerAdjusted':
        case 'PartnerPaid': {
          // Entries do not depend on one another any more: the whole batch goes in at the end.
          const entry = ledgerEntryFrom(event, recorded.occurredAt, recorded.eventId);
          if (!entry) return;
          pending.push({
            entry,
            txid: recorded.position.transactionId.toString(),
            seq: recorded.position.sequence.toString(),
            reason: event.type === 'LedgerAdjusted' ? event.data.reason : null,
          });
          return;
        }
      }
    });
    await addEntries(ctx, pending);
  },
});
