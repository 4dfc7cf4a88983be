import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who took which lease (a projection, a broker consumer) and when: the session advisory lock is the
 * lease itself; this log says which process held it, for operators and for the multi-process tests.
 */
export class LeaseAcquisitions1700000001700 implements MigrationInterface {
  name = 'LeaseAcquisitions1700000001700';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE lease_acquisitions (
        id bigserial PRIMARY KEY,
        lease text NOT NULL,
        holder text NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query('CREATE INDEX lease_acquisitions_lease ON lease_acquisitions (lease, id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE lease_acquisitions');
  }
}
