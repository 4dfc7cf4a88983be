/**
 * The partner ledger (domain.md 8-9): one entry per commission (+), clawback (-), adjustment (+/-) and
 * payment (-), each with the partner's balance after it. Entries are ordered by their time (payments:
 * paidAt; adjustments: their own occurredAt), then by log position, as summarizeLedger orders them;
 * an entry dated before later-recorded ones shifts their balances, so a range's beginning balance is
 * one indexed lookup. Partner codes and programs come from the partner events.
 */
import { ledgerEntryFrom, type LedgerEntry } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { applyReportEvents } from '../shared/report-projection';

export const LEDGER_TABLES = ['ledger_state', 'ledger_partners', 'ledger_entries'] as const;

async function addEntry(
  ctx: ProjectionContext,
  entry: LedgerEntry,
  recorded: RecordedEvent,
  reason: string | null,
): Promise<void> {
  const entries = ctx.table('ledger_entries');
  const txid = recorded.position.transactionId.toString();
  const seq = recorded.position.sequence.toString();
  const inserted = await ctx.query(
    `INSERT INTO ${entries} (entry_type, entry_id, partner_id, occurred_at, log_txid, log_seq, amount_minor,
                             balance_minor, attempt_id, product_id, commission_id, role, level, refund_id,
                             batch_id, payment_type, reason, event_id)
     SELECT $1, $2, $3, $4, $5, $6, $7,
            coalesce((SELECT e.balance_minor FROM ${entries} e
                       WHERE e.partner_id = $3 AND (e.occurred_at, e.log_txid, e.log_seq) < ($4::timestamptz, $5::bigint, $6::bigint)
                       ORDER BY e.occurred_at DESC, e.log_txid DESC, e.log_seq DESC LIMIT 1), 0) + $7,
            $8, $9, $10, $11, $12, $13, $14, $15, $16, $17
     ON CONFLICT (event_id) DO NOTHING`,
    [
      entry.type,
      entry.entryId,
      entry.partnerId,
      entry.occurredAt,
      txid,
      seq,
      entry.amountMinor,
      entry.attemptId ?? null,
      entry.productId ?? null,
      entry.commissionId ?? null,
      entry.role ?? null,
      entry.level ?? null,
      entry.refundId ?? null,
      entry.batchId ?? null,
      entry.paymentType ?? null,
      reason,
      entry.eventId,
    ],
  );
  if (inserted.rowCount === 0) return;
  // Entries dated after this one (recorded earlier) now have it in their balance.
  await ctx.query(
    `UPDATE ${entries} SET balance_minor = balance_minor + $5
      WHERE partner_id = $1 AND (occurred_at, log_txid, log_seq) > ($2::timestamptz, $3::bigint, $4::bigint)`,
    [entry.partnerId, entry.occurredAt, txid, seq, entry.amountMinor],
  );
}

export const ledgerProjection: Projection = {
  name: 'ledger',
  handles: [
    'PartnerEnrolled',
    'PartnerChanged',
    'CommissionEarned',
    'CommissionClawedBack',
    'LedgerAdjusted',
    'PartnerPaid',
  ],
  tables: LEDGER_TABLES,
  async apply(events, ctx) {
    await applyReportEvents(ctx, 'ledger_state', events, async ({ event, recorded }) => {
      const partners = ctx.table('ledger_partners');
      switch (event.type) {
        case 'PartnerEnrolled': {
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
          const entry = ledgerEntryFrom(event, recorded.occurredAt, recorded.eventId);
          if (!entry) return;
          await addEntry(ctx, entry, recorded, event.type === 'LedgerAdjusted' ? event.data.reason : null);
          return;
        }
        default:
          return;
      }
    });
  },
};
