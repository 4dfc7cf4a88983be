import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner Center collateral. `collateral_files` holds uploaded bytes outside the event log, addressed
 * by their SHA-256 (the CollateralAdded event records the hash and the metadata); `collateral` is the
 * write model of the additions and removals.
 */
export class Collateral1700000000900 implements MigrationInterface {
  name = 'Collateral1700000000900';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE collateral_files (
        sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content_type text NOT NULL,
        size_bytes integer NOT NULL,
        bytes bytea NOT NULL,
        stored_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE collateral (
        collateral_id text PRIMARY KEY,
        kind text NOT NULL,
        name text NOT NULL,
        link_id text,
        file jsonb,
        email jsonb,
        added_at timestamptz NOT NULL,
        removed_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE collateral');
    await db.query('DROP TABLE collateral_files');
  }
}
