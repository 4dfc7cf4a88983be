import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The auditor's as-of ledger reads one partner's money events straight from the log: index them. */
export class LedgerEventsIndex1700000000800 implements MigrationInterface {
  name = 'LedgerEventsIndex1700000000800';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE INDEX events_partner_money ON events ((data->>'partnerId'), transaction_id, global_position)
       WHERE type IN ('CommissionEarned', 'CommissionClawedBack', 'PartnerPaid', 'LedgerAdjusted')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX events_partner_money');
  }
}
