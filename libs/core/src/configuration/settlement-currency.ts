/**
 * The settlement currency is fixed once money is recorded (README, Guarantees). Every transaction that
 * records money in it (ingest, payments, adjustments, batches) holds this lock shared from before it
 * reads the settings until it commits; a settings change that names another currency takes it
 * exclusively, so it waits for those in flight and then sees the money they recorded.
 */
import type { Queryable } from '@app/platform';

const LOCK = `hashtext('settlement-currency')`;

/** The event types that record an amount in the settlement currency. */
const MONEY_EVENT_TYPES = ['PurchaseAttempted', 'PartnerPaid', 'LedgerAdjusted', 'PayoutBatchCreated'];

/** Held until the transaction ends; to be taken before the settings are read. */
export async function holdSettlementCurrency(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock_shared(${LOCK})`);
}

/** Exclusive until the transaction ends: no money is recorded meanwhile. */
export async function lockSettlementCurrency(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
}

/** Whether any attempt, payment, adjustment or batch is in the log (an index probe per type). */
export async function moneyRecorded(tx: Queryable): Promise<boolean> {
  const { rows } = await tx.query<{ recorded: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM events WHERE type = ANY($1)) AS recorded',
    [MONEY_EVENT_TYPES],
  );
  return rows[0]?.recorded === true;
}
