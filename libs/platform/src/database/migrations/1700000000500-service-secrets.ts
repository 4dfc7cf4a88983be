import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Secrets the service makes for itself (e.g. the partner-token signing key), shared by its processes. */
export class ServiceSecrets1700000000500 implements MigrationInterface {
  name = 'ServiceSecrets1700000000500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE service_secrets (
        name text PRIMARY KEY,
        secret bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE service_secrets');
  }
}
