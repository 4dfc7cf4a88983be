import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in (and sign-up) limits counted in the database, so that every process shares them: one row per
 * attempt reserved under a limiter and key (a partner code, an IP address), until it expires. And a
 * version of each partner's credentials, carried by its Partner Center tokens: setting a password or
 * deactivating the partner moves it on, which ends every token issued before.
 */
export class SharedSignInLimits1700000001100 implements MigrationInterface {
  name = 'SharedSignInLimits1700000001100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rate_limit_attempts (
        attempt_id bigserial PRIMARY KEY,
        limiter text NOT NULL,
        key text NOT NULL,
        attempted_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX rate_limit_attempts_key ON rate_limit_attempts (limiter, key, expires_at)`);
    await db.query(`CREATE INDEX rate_limit_attempts_expiry ON rate_limit_attempts (expires_at)`);
    await db.query(`ALTER TABLE partner_credentials ADD COLUMN token_version integer NOT NULL DEFAULT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE partner_credentials DROP COLUMN token_version`);
    await db.query(`DROP TABLE rate_limit_attempts`);
  }
}
