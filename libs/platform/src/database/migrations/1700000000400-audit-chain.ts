import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tamper-evidence chain: one hash per event in log order, each covering the previous one. */
export class AuditChain1700000000400 implements MigrationInterface {
  name = 'AuditChain1700000000400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE event_hashes (
        global_position bigint PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        event_id text NOT NULL,
        previous_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await db.query(
      `CREATE UNIQUE INDEX event_hashes_log_order ON event_hashes (transaction_id, global_position)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE event_hashes');
  }
}
