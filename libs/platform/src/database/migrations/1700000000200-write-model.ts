import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write model: state the commands decide on, kept in the same transaction as the events that
 * change it (configuration, clicks, referral history, attempts, commissions, payouts). The
 * reports are separate, asynchronous projections.
 */
export class WriteModel1700000000200 implements MigrationInterface {
  name = 'WriteModel1700000000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE settings_current (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        settings jsonb NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE programs (
        program_id text PRIMARY KEY,
        name text NOT NULL,
        priority integer NOT NULL,
        definition jsonb NOT NULL,
        defined_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE partners (
        partner_id text PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        email text,
        parent_id text,
        program_ids text[] NOT NULL,
        status text NOT NULL,
        lead_cookie_days integer,
        notify_on_lead boolean NOT NULL,
        notify_on_sale boolean NOT NULL,
        enrolled_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX partners_code_unique ON partners (lower(code))`);
    await db.query(`CREATE INDEX partners_parent ON partners (parent_id)`);
    // Kept out of the event log on purpose: a password hash is a secret, not a business fact.
    await db.query(`
      CREATE TABLE partner_credentials (
        partner_id text PRIMARY KEY REFERENCES partners (partner_id),
        password_hash text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE links (
        link_id text PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        destination_url text NOT NULL,
        program_id text,
        defined_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX links_code_unique ON links (lower(code))`);
    await db.query(`
      CREATE TABLE ads (
        ad_id text PRIMARY KEY,
        partner_id text NOT NULL,
        link_id text NOT NULL,
        name text NOT NULL,
        medium text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX ads_partner ON ads (partner_id)`);
    await db.query(`
      CREATE TABLE clicks (
        click_id text PRIMARY KEY,
        visitor_id text NOT NULL,
        contact_id text,
        partner_id text NOT NULL,
        link_id text NOT NULL,
        ad_id text,
        ip text,
        user_agent text,
        occurred_at timestamptz NOT NULL,
        creditable boolean NOT NULL
      )`);
    await db.query(`CREATE INDEX clicks_visitor ON clicks (visitor_id, occurred_at)`);
    await db.query(
      `CREATE INDEX clicks_contact ON clicks (contact_id, occurred_at) WHERE contact_id IS NOT NULL`,
    );
    await db.query(`CREATE INDEX clicks_ip ON clicks (ip, occurred_at) WHERE ip IS NOT NULL`);
    await db.query(`
      CREATE TABLE visitor_contacts (
        visitor_id text PRIMARY KEY,
        contact_id text NOT NULL,
        joined_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX visitor_contacts_contact ON visitor_contacts (contact_id)`);
    await db.query(`
      CREATE TABLE referrals (
        referral_id text PRIMARY KEY,
        contact_id text NOT NULL,
        partner_id text NOT NULL,
        source text NOT NULL,
        set_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz,
        click_id text
      )`);
    await db.query(`CREATE INDEX referrals_contact ON referrals (contact_id, set_at)`);
    await db.query(`
      CREATE TABLE attempts (
        attempt_id text PRIMARY KEY,
        order_id text NOT NULL,
        contact_id text NOT NULL,
        kind text NOT NULL,
        subscription_id text,
        status text NOT NULL,
        currency text NOT NULL,
        total_minor bigint NOT NULL,
        refunded_minor bigint NOT NULL DEFAULT 0,
        sale_partner_id text,
        lead_partner_id text,
        attempted_at timestamptz NOT NULL,
        outcome_at timestamptz,
        attempted jsonb NOT NULL,
        attributed jsonb
      )`);
    await db.query(`CREATE INDEX attempts_contact ON attempts (contact_id)`);
    await db.query(`
      CREATE TABLE subscriptions (
        subscription_id text PRIMARY KEY,
        attempt_id text NOT NULL,
        sale_partner_id text,
        lead_partner_id text,
        sale_attribution jsonb,
        lead_attribution jsonb,
        collected_renewals integer NOT NULL DEFAULT 0
      )`);
    await db.query(`
      CREATE TABLE commissions (
        commission_id text PRIMARY KEY,
        attempt_id text NOT NULL,
        partner_id text NOT NULL,
        amount_minor bigint NOT NULL,
        clawed_back_minor bigint NOT NULL DEFAULT 0,
        earned_at timestamptz NOT NULL,
        earned jsonb NOT NULL
      )`);
    await db.query(`CREATE INDEX commissions_attempt ON commissions (attempt_id)`);
    await db.query(`CREATE INDEX commissions_partner ON commissions (partner_id, earned_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'commissions',
      'subscriptions',
      'attempts',
      'referrals',
      'visitor_contacts',
      'clicks',
      'ads',
      'links',
      'partner_credentials',
      'partners',
      'programs',
      'settings_current',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
