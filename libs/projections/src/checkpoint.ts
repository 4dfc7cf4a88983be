/** A projection's row in projection_checkpoints: how far it is, live and (while rebuilding) in shadow. */
import { LOG_START, type LogPosition } from '@app/event-store';
import type { Queryable } from '@app/platform';

export interface CheckpointRow {
  name: string;
  txid: string;
  seq: string;
  status: string;
  rebuild_requested_at: Date | null;
  rebuild_txid: string | null;
  rebuild_seq: string | null;
  last_error: string | null;
}

export const CHECKPOINT_COLUMNS = `name, transaction_id::text AS txid, global_position::text AS seq, status, rebuild_requested_at,
  rebuild_transaction_id::text AS rebuild_txid, rebuild_global_position::text AS rebuild_seq, last_error`;

export function positionOf(txid: string | null, seq: string | null): LogPosition {
  return txid === null || seq === null ? LOG_START : { transactionId: BigInt(txid), sequence: BigInt(seq) };
}

/** The checkpoint row of `name`; `forUpdate` locks it for the rest of the caller's transaction. */
export async function readCheckpoint(db: Queryable, name: string, forUpdate = false): Promise<CheckpointRow> {
  const { rows } = await db.query<CheckpointRow>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM projection_checkpoints WHERE name = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [name],
  );
  const row = rows[0];
  if (!row) throw new Error(`No checkpoint row for ${name}`);
  return row;
}
