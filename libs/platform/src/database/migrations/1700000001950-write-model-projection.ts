import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write model becomes a projection that can be rebuilt from the log (issue 14): a rebuild empties
 * `partners` and fills it again in one transaction, so the credentials' reference to it is checked at
 * the commit (when every partner is back) instead of at each statement.
 */
export class WriteModelProjection1700000001950 implements MigrationInterface {
  name = 'WriteModelProjection1700000001950';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE partner_credentials
        DROP CONSTRAINT partner_credentials_partner_id_fkey,
        ADD CONSTRAINT partner_credentials_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES partners (partner_id)
          DEFERRABLE INITIALLY IMMEDIATE`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE partner_credentials
        DROP CONSTRAINT partner_credentials_partner_id_fkey,
        ADD CONSTRAINT partner_credentials_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES partners (partner_id)`);
  }
}
