import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ledger entries are identified by the event that made them (event ids are unique in the whole log),
 * no longer by (entry_type, entry_id): entry ids are built from client-chosen ids, so two distinct
 * facts could share one (a manual payment `X:ben` and batch `X`'s payment to ben) and the second was
 * dropped. The entries that were dropped come back with a rebuild of the ledger from the log.
 */
export class LedgerEntryIdentity1700000001310 implements MigrationInterface {
  name = 'LedgerEntryIdentity1700000001310';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ledger_entries ADD COLUMN event_id text`);
    await db.query(
      `UPDATE ledger_entries l SET event_id = e.event_id FROM events e WHERE e.global_position = l.log_seq`,
    );
    await db.query(`DELETE FROM ledger_entries WHERE event_id IS NULL`);
    await db.query(`ALTER TABLE ledger_entries ALTER COLUMN event_id SET NOT NULL`);
    await db.query(`ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_pkey`);
    await db.query(`ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_pkey PRIMARY KEY (event_id)`);
    await db.query(`DROP TABLE IF EXISTS ledger_entries__rebuild`);
    await db.query(
      `UPDATE projection_checkpoints
          SET rebuild_requested_at = now(), rebuild_transaction_id = NULL, rebuild_global_position = NULL,
              status = 'rebuilding', updated_at = now()
        WHERE name = 'ledger'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_pkey`);
    await db.query(`ALTER TABLE ledger_entries DROP COLUMN event_id`);
    await db.query(
      `ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_pkey PRIMARY KEY (entry_type, entry_id)`,
    );
  }
}
