import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Link stats at the speed of the log (issue 15): fewer rows and index entries per click.
 * - The rows over all ads of a link (`ad_id = '*'`) are kept only for links clicked through several
 *   ad values (`link_stats_link_ads`); for a link of one ad they would repeat that ad's rows.
 * - A visitor's months of a year are one row per (partner, link, ad) and per (partner, link, '*'),
 *   the months as bits (`link_stats_visitor_years`), instead of four rows per click (a month and a
 *   year, of the ad and of the link over all its ads) in `link_stats_period_visitors`. The bits that
 *   an upsert sets are the months (and, for a new row, the year) the visitor is new to.
 * - Visitor-days and daily counters are keyed day first: one index serves both the upserts and the
 *   reports' range scans (the separate day indexes go).
 * - Counter, attempt and state rows are updated in place batch after batch: room on each page
 *   (fillfactor) lets those updates stay on the page (HOT) instead of adding index entries.
 * The projection is rebuilt once from the log to fill the new table.
 */
export class LinkStatsVisitorYears1700000002000 implements MigrationInterface {
  name = 'LinkStatsVisitorYears1700000002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE link_stats_period_visitors`);
    await db.query(`
      CREATE TABLE link_stats_visitor_years (
        partner_id text NOT NULL,
        link_id text NOT NULL,
        ad_id text NOT NULL,
        year date NOT NULL,
        visitor_id text NOT NULL,
        months integer NOT NULL,
        PRIMARY KEY (year, partner_id, link_id, ad_id, visitor_id)
      ) WITH (fillfactor = 80)`);
    await db.query(`
      CREATE TABLE link_stats_link_ads (
        partner_id text NOT NULL,
        link_id text NOT NULL,
        ad_id text NOT NULL,
        PRIMARY KEY (partner_id, link_id, ad_id)
      )`);
    await db.query(`DROP INDEX link_stats_visitors_day`);
    await db.query(`ALTER TABLE link_stats_visitors DROP CONSTRAINT link_stats_visitors_pkey`);
    await db.query(
      `ALTER TABLE link_stats_visitors ADD PRIMARY KEY (day, partner_id, link_id, ad_id, visitor_id)`,
    );
    await db.query(`DROP INDEX link_stats_daily_day`);
    await db.query(`ALTER TABLE link_stats_daily DROP CONSTRAINT link_stats_daily_pkey`);
    await db.query(`ALTER TABLE link_stats_daily ADD PRIMARY KEY (day, partner_id, link_id, ad_id)`);
    await db.query(`ALTER TABLE link_stats_daily SET (fillfactor = 70)`);
    await db.query(`ALTER TABLE link_stats_periods SET (fillfactor = 50)`);
    await db.query(`ALTER TABLE link_stats_attempts SET (fillfactor = 70)`);
    await db.query(
      `UPDATE projection_checkpoints
          SET rebuild_requested_at = now(), rebuild_transaction_id = NULL, rebuild_global_position = NULL,
              status = 'rebuilding', updated_at = now()
        WHERE name = 'link-stats'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['link_stats_daily', 'link_stats_periods', 'link_stats_attempts'])
      await db.query(`ALTER TABLE ${table} RESET (fillfactor)`);
    await db.query(`ALTER TABLE link_stats_daily DROP CONSTRAINT link_stats_daily_pkey`);
    await db.query(`ALTER TABLE link_stats_daily ADD PRIMARY KEY (partner_id, link_id, ad_id, day)`);
    await db.query(`CREATE INDEX link_stats_daily_day ON link_stats_daily (day)`);
    await db.query(`ALTER TABLE link_stats_visitors DROP CONSTRAINT link_stats_visitors_pkey`);
    await db.query(
      `ALTER TABLE link_stats_visitors ADD PRIMARY KEY (partner_id, link_id, ad_id, day, visitor_id)`,
    );
    await db.query(
      `CREATE INDEX link_stats_visitors_day ON link_stats_visitors (day, partner_id, link_id, ad_id, visitor_id)`,
    );
    await db.query(`DROP TABLE link_stats_visitor_years`);
    await db.query(`DROP TABLE link_stats_link_ads`);
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
    await db.query(
      `UPDATE projection_checkpoints
          SET rebuild_requested_at = now(), rebuild_transaction_id = NULL, rebuild_global_position = NULL,
              status = 'rebuilding', updated_at = now()
        WHERE name = 'link-stats'`,
    );
  }
}
