/** The write model's tables, each with the key it is ordered by, and a snapshot of them all. */
import type { Client } from 'pg';

const WRITE_MODEL_TABLES: Readonly<Record<string, string>> = {
  settings_current: 'singleton',
  programs: 'program_id',
  partners: 'partner_id',
  links: 'link_id',
  ads: 'ad_id',
  collateral: 'collateral_id',
  clicks: 'click_id',
  visitor_contacts: 'visitor_id',
  referrals: 'referral_id',
  attempts: 'attempt_id',
  subscriptions: 'subscription_id',
  commissions: 'commission_id',
  payout_batches: 'batch_id',
  webhook_endpoints: 'endpoint_id',
};

/** Every row of every write-model table, in key order, as JSON. */
export async function writeModelSnapshot(db: Client): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const [table, key] of Object.entries(WRITE_MODEL_TABLES)) {
    const { rows } = await db.query(`SELECT * FROM ${table} ORDER BY ${key}`);
    tables[table] = JSON.parse(JSON.stringify(rows)) as unknown[];
  }
  return tables;
}
