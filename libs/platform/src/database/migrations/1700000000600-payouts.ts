import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Write-model table of payout batches (list, detail, CSV); their payments are PartnerPaid events. */
export class Payouts1700000000600 implements MigrationInterface {
  name = 'Payouts1700000000600';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE payout_batches (
        batch_id text PRIMARY KEY,
        method text NOT NULL,
        paid_at timestamptz NOT NULL,
        total_minor bigint NOT NULL,
        created_at timestamptz NOT NULL,
        batch jsonb NOT NULL
      )`);
    await db.query(`CREATE INDEX payout_batches_paid_at ON payout_batches (paid_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE payout_batches');
  }
}
