import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The report read models (libs/core/src/reports): one set of tables per projection, rebuilt from the
 * log by the projection runner. Reports read only these tables. A missing link or ad is stored as ''
 * so that it can be part of a primary key; days are local days in the settings timezone.
 */
export class Reports1700000000300 implements MigrationInterface {
  name = 'Reports1700000000300';

  async up(db: QueryRunner): Promise<void> {
    // Each projection keeps the settings it needs and the last position it applied.
    for (const name of ['link_stats_state', 'products_sold_state', 'reconciliation_state', 'ledger_state']) {
      await db.query(`
        CREATE TABLE ${name} (
          singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
          timezone text NOT NULL DEFAULT 'UTC',
          attribution text NOT NULL DEFAULT 'last',
          applied_txid bigint NOT NULL DEFAULT 0,
          applied_seq bigint NOT NULL DEFAULT 0
        )`);
    }

    // link-stats
    await db.query(`
      CREATE TABLE link_stats_links (
        link_id text PRIMARY KEY,
        code text NOT NULL
      )`);
    await db.query(`
      CREATE TABLE link_stats_clicks (
        click_id text PRIMARY KEY,
        visitor_id text NOT NULL,
        partner_id text NOT NULL,
        link_id text NOT NULL,
        ad_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        creditable boolean NOT NULL,
        log_txid bigint NOT NULL,
        log_seq bigint NOT NULL
      )`);
    await db.query(
      `CREATE INDEX link_stats_clicks_visitor ON link_stats_clicks (visitor_id, partner_id, occurred_at)`,
    );
    await db.query(
      `CREATE INDEX link_stats_clicks_visitor_time ON link_stats_clicks (visitor_id, occurred_at)`,
    );
    await db.query(`
      CREATE TABLE link_stats_visitors (
        partner_id text NOT NULL,
        link_id text NOT NULL,
        ad_id text NOT NULL,
        day date NOT NULL,
        visitor_id text NOT NULL,
        PRIMARY KEY (partner_id, link_id, ad_id, day, visitor_id)
      )`);
    await db.query(
      `CREATE INDEX link_stats_visitors_day ON link_stats_visitors (day, partner_id, link_id, ad_id, visitor_id)`,
    );
    await db.query(`
      CREATE TABLE link_stats_attempts (
        attempt_id text PRIMARY KEY,
        kind text NOT NULL,
        day date NOT NULL,
        partner_id text,
        link_id text NOT NULL DEFAULT '',
        ad_id text NOT NULL DEFAULT '',
        outcome text NOT NULL DEFAULT 'pending'
      )`);
    await db.query(`
      CREATE TABLE link_stats_daily (
        partner_id text NOT NULL,
        link_id text NOT NULL,
        ad_id text NOT NULL,
        day date NOT NULL,
        clicks bigint NOT NULL DEFAULT 0,
        unique_visitors bigint NOT NULL DEFAULT 0,
        opt_ins bigint NOT NULL DEFAULT 0,
        orders bigint NOT NULL DEFAULT 0,
        subscriptions bigint NOT NULL DEFAULT 0,
        renewals bigint NOT NULL DEFAULT 0,
        declined bigint NOT NULL DEFAULT 0,
        collected bigint NOT NULL DEFAULT 0,
        revenue_minor bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (partner_id, link_id, ad_id, day)
      )`);
    await db.query(`CREATE INDEX link_stats_daily_day ON link_stats_daily (day)`);

    // products-sold
    await db.query(`
      CREATE TABLE products_sold_attempts (
        attempt_id text PRIMARY KEY,
        day date NOT NULL,
        partner_id text,
        items jsonb NOT NULL,
        outcome text NOT NULL DEFAULT 'pending',
        refunded_minor bigint NOT NULL DEFAULT 0
      )`);
    await db.query(`
      CREATE TABLE products_sold_daily (
        partner_id text NOT NULL,
        product_id text NOT NULL,
        day date NOT NULL,
        sold bigint NOT NULL DEFAULT 0,
        quantity bigint NOT NULL DEFAULT 0,
        declined bigint NOT NULL DEFAULT 0,
        collected bigint NOT NULL DEFAULT 0,
        collected_minor bigint NOT NULL DEFAULT 0,
        refunded_minor bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (partner_id, product_id, day)
      )`);
    await db.query(`CREATE INDEX products_sold_daily_day ON products_sold_daily (day)`);

    // reconciliation
    await db.query(`
      CREATE TABLE reconciliation_attempts (
        attempt_id text PRIMARY KEY,
        day date NOT NULL,
        partner_id text,
        product_ids text[] NOT NULL,
        outcome text NOT NULL DEFAULT 'pending'
      )`);
    await db.query(`
      CREATE TABLE reconciliation_daily (
        partner_id text NOT NULL,
        product_id text NOT NULL,
        day date NOT NULL,
        attempts bigint NOT NULL DEFAULT 0,
        declined bigint NOT NULL DEFAULT 0,
        pending bigint NOT NULL DEFAULT 0,
        collected bigint NOT NULL DEFAULT 0,
        commission_earned_minor bigint NOT NULL DEFAULT 0,
        commission_clawed_back_minor bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (partner_id, product_id, day)
      )`);
    await db.query(`CREATE INDEX reconciliation_daily_day ON reconciliation_daily (day)`);

    // ledger
    await db.query(`
      CREATE TABLE ledger_partners (
        partner_id text PRIMARY KEY,
        code text NOT NULL,
        program_ids text[] NOT NULL
      )`);
    await db.query(`CREATE INDEX ledger_partners_programs ON ledger_partners USING gin (program_ids)`);
    // balance_minor: the partner's balance after this entry, entries ordered by (occurred_at, log position).
    await db.query(`
      CREATE TABLE ledger_entries (
        entry_type text NOT NULL,
        entry_id text NOT NULL,
        partner_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        log_txid bigint NOT NULL,
        log_seq bigint NOT NULL,
        amount_minor bigint NOT NULL,
        balance_minor bigint NOT NULL,
        attempt_id text,
        product_id text,
        commission_id text,
        role text,
        level smallint,
        refund_id text,
        batch_id text,
        payment_type text,
        reason text,
        PRIMARY KEY (entry_type, entry_id)
      )`);
    await db.query(
      `CREATE INDEX ledger_entries_partner_order ON ledger_entries (partner_id, occurred_at, log_txid, log_seq)`,
    );
    await db.query(`CREATE INDEX ledger_entries_time ON ledger_entries (occurred_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'ledger_entries',
      'ledger_partners',
      'reconciliation_daily',
      'reconciliation_attempts',
      'products_sold_daily',
      'products_sold_attempts',
      'link_stats_daily',
      'link_stats_attempts',
      'link_stats_visitors',
      'link_stats_clicks',
      'link_stats_links',
      'ledger_state',
      'reconciliation_state',
      'products_sold_state',
      'link_stats_state',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
