import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner notifications and webhooks (issue 18). Three kinds of tables:
 * - write model: the webhook endpoints (from their events) and, outside the log, their signing secrets
 *   and health;
 * - the two projections' own state, rebuilt from the log (settings, partners, subscriptions as they
 *   stood at each position);
 * - the outboxes (notifications, webhook_deliveries, their attempts), written by the projections with
 *   INSERT ... ON CONFLICT DO NOTHING on the source event, and never rebuilt: a replay or a rebuild
 *   finds the row already there and makes no second one, and the send status survives it.
 */
export class NotificationsWebhooks1700000001300 implements MigrationInterface {
  name = 'NotificationsWebhooks1700000001300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_endpoints (
        endpoint_id text PRIMARY KEY,
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        enabled boolean NOT NULL,
        disabled_reason text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE webhook_secrets (
        endpoint_id text PRIMARY KEY,
        secret text NOT NULL
      )`);
    await db.query(`
      CREATE TABLE webhook_endpoint_health (
        endpoint_id text PRIMARY KEY,
        failing_since timestamptz,
        last_success_at timestamptz,
        last_failure_at timestamptz
      )`);

    // Projection state (owned by the projections, rebuilt with them).
    await db.query(`
      CREATE TABLE notify_settings (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        skip_notifications boolean NOT NULL DEFAULT false
      )`);
    await db.query(`
      CREATE TABLE notify_partners (
        partner_id text PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        email text,
        status text NOT NULL,
        notify_on_lead boolean NOT NULL,
        notify_on_sale boolean NOT NULL
      )`);
    await db.query(`
      CREATE TABLE webhook_subscriptions (
        endpoint_id text PRIMARY KEY,
        events text[] NOT NULL,
        enabled boolean NOT NULL
      )`);
    await db.query(`
      CREATE TABLE webhook_partner_statuses (
        partner_id text PRIMARY KEY,
        status text NOT NULL
      )`);

    // Emails are about what happens from now on: installing this on an existing log must not tell every
    // partner about every lead and sale of the past. The projection still builds its state from the start.
    await db.query(`
      CREATE TABLE notifications_start (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        recorded_after timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`INSERT INTO notifications_start (singleton) VALUES (true)`);

    // Outboxes.
    await db.query(`
      CREATE TABLE notifications (
        notification_id text PRIMARY KEY DEFAULT ('ntf_' || replace(gen_random_uuid()::text, '-', '')),
        partner_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('lead', 'sale')),
        source_event_id text NOT NULL,
        source_txid xid8 NOT NULL,
        source_seq bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        recipient text NOT NULL,
        subject text NOT NULL,
        details jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'sent', 'failed', 'unsent-no-transport')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        first_attempt_at timestamptz,
        lease_until timestamptz,
        lease_token uuid,
        sent_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source_event_id, partner_id, kind)
      )`);
    await db.query(
      `CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status IN ('pending', 'unsent-no-transport')`,
    );
    await db.query(`CREATE INDEX notifications_partner ON notifications (partner_id, created_at)`);
    await db.query(`
      CREATE TABLE webhook_deliveries (
        delivery_id text PRIMARY KEY DEFAULT ('msg_' || replace(gen_random_uuid()::text, '-', '')),
        endpoint_id text NOT NULL,
        event_type text NOT NULL,
        source_event_id text NOT NULL,
        source_txid xid8 NOT NULL,
        source_seq bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        first_attempt_at timestamptz,
        lease_until timestamptz,
        lease_token uuid,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (endpoint_id, source_event_id)
      )`);
    await db.query(
      `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await db.query(
      `CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, source_txid, source_seq)`,
    );
    await db.query(`
      CREATE TABLE webhook_delivery_attempts (
        delivery_id text NOT NULL REFERENCES webhook_deliveries (delivery_id),
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        status_code integer,
        error text,
        duration_ms integer NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'webhook_delivery_attempts',
      'webhook_deliveries',
      'notifications',
      'webhook_partner_statuses',
      'webhook_subscriptions',
      'notify_partners',
      'notify_settings',
      'notifications_start',
      'webhook_endpoint_health',
      'webhook_secrets',
      'webhook_endpoints',
    ])
      await db.query(`DROP TABLE ${table}`);
  }
}
