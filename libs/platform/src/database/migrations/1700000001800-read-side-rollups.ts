import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read side at the speed of the log (issue 15):
 * - the ledger no longer stores a running balance per entry (a back-dated entry had to update every
 *   later entry of the partner); balances are computed when read, from per-period sums (UTC days,
 *   months and years: `ledger_periods`) and a window over the entries of the range;
 * - the daily rollups get monthly and yearly ones (`*_periods`, keyed by the period's first local
 *   day), so that a report over a year reads a few rows per key instead of every day;
 * - link stats keep the distinct visitors of each month and year (`link_stats_period_visitors`, and
 *   `ad_id = '*'` for the visitors of a link over all its ads), so that unique visitors over a whole
 *   month or year are exact and read from one row.
 * The period tables are keyed period first, so that one index serves both the upserts and the
 * reports' range scans (a row per click costs as few index insertions as possible).
 * The report projections are rebuilt once from the log to fill them.
 */
export class ReadSideRollups1700000001800 implements MigrationInterface {
  name = 'ReadSideRollups1700000001800';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ledger_entries DROP COLUMN balance_minor`);
    await db.query(`
      CREATE TABLE ledger_periods (
        partner_id text NOT NULL,
        period char(1) NOT NULL CHECK (period IN ('D', 'M', 'Y')),
        start timestamptz NOT NULL,
        commissions bigint NOT NULL DEFAULT 0,
        clawbacks bigint NOT NULL DEFAULT 0,
        adjustments bigint NOT NULL DEFAULT 0,
        payments bigint NOT NULL DEFAULT 0,
        entries bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (partner_id, period, start)
      )`);
    await db.query(`CREATE INDEX ledger_periods_time ON ledger_periods (period, start)`);

    const counters = {
      products_sold: `sold bigint NOT NULL DEFAULT 0, quantity bigint NOT NULL DEFAULT 0, declined bigint NOT NULL DEFAULT 0,
        collected bigint NOT NULL DEFAULT 0, collected_minor bigint NOT NULL DEFAULT 0, refunded_minor bigint NOT NULL DEFAULT 0`,
      reconciliation: `attempts bigint NOT NULL DEFAULT 0, declined bigint NOT NULL DEFAULT 0, pending bigint NOT NULL DEFAULT 0,
        collected bigint NOT NULL DEFAULT 0, commission_earned_minor bigint NOT NULL DEFAULT 0,
        commission_clawed_back_minor bigint NOT NULL DEFAULT 0`,
    };
    for (const [name, columns] of Object.entries(counters)) {
      await db.query(`
        CREATE TABLE ${name}_periods (
          partner_id text NOT NULL,
          product_id text NOT NULL,
          period char(1) NOT NULL CHECK (period IN ('M', 'Y')),
          start date NOT NULL,
          ${columns},
          PRIMARY KEY (period, start, partner_id, product_id)
        )`);
    }
    await db.query(`
      CREATE TABLE link_stats_periods (
        partner_id text NOT NULL,
        link_id text NOT NULL,
        ad_id text NOT NULL,
        period char(1) NOT NULL CHECK (period IN ('M', 'Y')),
        start date NOT NULL,
        clicks bigint NOT NULL DEFAULT 0,
        unique_visitors bigint NOT NULL DEFAULT 0,
        opt_ins bigint NOT NULL DEFAULT 0,
        orders bigint NOT NULL DEFAULT 0,
        subscriptions bigint NOT NULL DEFAULT 0,
        renewals bigint NOT NULL DEFAULT 0,
        declined bigint NOT NULL DEFAULT 0,
        collected bigint NOT NULL DEFAULT 0,
        revenue_minor bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (period, start, partner_id, link_id, ad_id)
      )`);
    await db.query(`
      CREATE TABLE link_stats_period_visitors (
        partner_id text NOT NULL,
        link_id text NOT NULL,
        ad_id text NOT NULL,
        period char(1) NOT NULL CHECK (period IN ('M', 'Y')),
        start date NOT NULL,
        visitor_id text NOT NULL,
        PRIMARY KEY (period, start, partner_id, link_id, ad_id, visitor_id)
      )`);
    // Opt-ins now read a visitor's clicks by visitor id only: one index on it is enough.
    await db.query(`DROP INDEX link_stats_clicks_visitor_time`);

    await db.query(
      `UPDATE projection_checkpoints
          SET rebuild_requested_at = now(), rebuild_transaction_id = NULL, rebuild_global_position = NULL,
              status = 'rebuilding', updated_at = now()
        WHERE name IN ('ledger', 'link-stats', 'products-sold', 'reconciliation')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'link_stats_period_visitors',
      'link_stats_periods',
      'reconciliation_periods',
      'products_sold_periods',
      'ledger_periods',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(
      `CREATE INDEX link_stats_clicks_visitor_time ON link_stats_clicks (visitor_id, occurred_at)`,
    );
    await db.query(`ALTER TABLE ledger_entries ADD COLUMN balance_minor bigint NOT NULL DEFAULT 0`);
  }
}
