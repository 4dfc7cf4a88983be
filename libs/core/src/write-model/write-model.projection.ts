/**
 * Keeps the write-model tables in step with the events, inside the transaction that appends them:
 * the next command (even the next envelope of the same ingest request) decides on this state.
 */
import type { DomainEvent, LinkClickedData } from '@app/domain';
import type { Queryable } from '@app/platform';

export interface AppliedEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly occurredAt: string;
  readonly event: DomainEvent;
}

export async function applyToWriteModel(db: Queryable, applied: AppliedEvent): Promise<void> {
  const { event, occurredAt, eventId } = applied;
  switch (event.type) {
    case 'SettingsChanged':
      await db.query(
        `INSERT INTO settings_current (singleton, settings, changed_at) VALUES (true, $1, $2)
           ON CONFLICT (singleton) DO UPDATE SET settings = EXCLUDED.settings, changed_at = EXCLUDED.changed_at`,
        [JSON.stringify(event.data.settings), occurredAt],
      );
      return;
    case 'ProgramDefined': {
      const p = event.data.program;
      await db.query(
        `INSERT INTO programs (program_id, name, priority, definition, defined_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
           ON CONFLICT (program_id) DO UPDATE
             SET name = EXCLUDED.name, priority = EXCLUDED.priority, definition = EXCLUDED.definition, updated_at = EXCLUDED.updated_at`,
        [p.id, p.name, p.priority, JSON.stringify(p), occurredAt],
      );
      return;
    }
    case 'PartnerEnrolled':
    case 'PartnerSignedUp': {
      const p = event.data.partner;
      await db.query(
        `INSERT INTO partners (partner_id, code, name, email, parent_id, program_ids, status, lead_cookie_days,
                               notify_on_lead, notify_on_sale, enrolled_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
        [
          p.id,
          p.code,
          p.name,
          p.email,
          p.parentId,
          p.programIds,
          p.status,
          p.leadCookieDays,
          p.notifyOnLead,
          p.notifyOnSale,
          occurredAt,
        ],
      );
      return;
    }
    case 'PartnerChanged': {
      const c = event.data.changes;
      const columns: [string, unknown][] = [];
      if (c.name !== undefined) columns.push(['name', c.name]);
      if (c.email !== undefined) columns.push(['email', c.email]);
      if (c.parentId !== undefined) columns.push(['parent_id', c.parentId]);
      if (c.programIds !== undefined) columns.push(['program_ids', c.programIds]);
      if (c.status !== undefined) columns.push(['status', c.status]);
      if (c.leadCookieDays !== undefined) columns.push(['lead_cookie_days', c.leadCookieDays]);
      if (c.notifyOnLead !== undefined) columns.push(['notify_on_lead', c.notifyOnLead]);
      if (c.notifyOnSale !== undefined) columns.push(['notify_on_sale', c.notifyOnSale]);
      const sets = columns.map(([column], i) => `${column} = $${i + 3}`);
      await db.query(
        `UPDATE partners SET updated_at = $2${sets.map((s) => `, ${s}`).join('')} WHERE partner_id = $1`,
        [event.data.partnerId, occurredAt, ...columns.map(([, value]) => value)],
      );
      return;
    }
    case 'PartnerApproved':
      await db.query(`UPDATE partners SET status = 'active', updated_at = $2 WHERE partner_id = $1`, [
        event.data.partnerId,
        occurredAt,
      ]);
      return;
    case 'CollateralAdded': {
      const c = event.data;
      await db.query(
        `INSERT INTO collateral (collateral_id, kind, name, link_id, file, email, added_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          c.collateralId,
          c.kind,
          c.name,
          c.linkId,
          c.file && JSON.stringify(c.file),
          c.email && JSON.stringify(c.email),
          occurredAt,
        ],
      );
      return;
    }
    case 'CollateralRemoved':
      await db.query(
        `UPDATE collateral SET removed_at = $2 WHERE collateral_id = $1 AND removed_at IS NULL`,
        [event.data.collateralId, occurredAt],
      );
      return;
    case 'LinkDefined': {
      const l = event.data;
      await db.query(
        `INSERT INTO links (link_id, code, name, destination_url, program_id, defined_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (link_id) DO UPDATE
             SET code = EXCLUDED.code, name = EXCLUDED.name, destination_url = EXCLUDED.destination_url, program_id = EXCLUDED.program_id`,
        [l.linkId, l.code, l.name, l.destinationUrl, l.programId, occurredAt],
      );
      return;
    }
    case 'AdCreated': {
      const a = event.data;
      await db.query(
        `INSERT INTO ads (ad_id, partner_id, link_id, name, medium, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [a.adId, a.partnerId, a.linkId, a.name, a.medium, occurredAt],
      );
      return;
    }
    case 'LinkClicked': {
      const c = event.data;
      await db.query(
        `INSERT INTO clicks (click_id, visitor_id, contact_id, partner_id, link_id, ad_id, ip, user_agent, occurred_at, creditable)
         VALUES ($1, $2, coalesce($3, (SELECT contact_id FROM visitor_contacts WHERE visitor_id = $2)), $4, $5, $6, $7, $8, $9, $10)`,
        [
          c.clickId,
          c.visitorId,
          c.contactId,
          c.partnerId,
          c.linkId,
          c.adId,
          c.ip,
          c.userAgent,
          occurredAt,
          c.creditable,
        ],
      );
      if (c.contactId) await joinVisitor(db, c.visitorId, c.contactId, occurredAt);
      return;
    }
    case 'ContactOptedIn':
      if (event.data.visitorId) await joinVisitor(db, event.data.visitorId, event.data.contactId, occurredAt);
      return;
    case 'ReferralRecorded': {
      const r = event.data;
      await db.query(
        `INSERT INTO referrals (referral_id, contact_id, partner_id, source, set_at, last_seen_at, expires_at, click_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [eventId, r.contactId, r.partnerId, r.source, r.setAt, r.lastSeenAt, r.expiresAt, r.clickId],
      );
      return;
    }
    case 'PurchaseAttempted': {
      const a = event.data;
      await db.query(
        `INSERT INTO attempts (attempt_id, order_id, contact_id, kind, subscription_id, status, currency, total_minor,
                               attempted_at, attempted)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9)`,
        [
          a.attemptId,
          a.orderId,
          a.contactId,
          a.kind,
          a.subscriptionId,
          a.currency,
          a.totalMinor,
          occurredAt,
          JSON.stringify(a),
        ],
      );
      if (a.visitorId) await joinVisitor(db, a.visitorId, a.contactId, occurredAt);
      return;
    }
    case 'AttemptAttributed': {
      const a = event.data;
      const { rows } = await db.query<{ kind: string; subscription_id: string | null }>(
        `UPDATE attempts SET sale_partner_id = $2, lead_partner_id = $3, attributed = $4 WHERE attempt_id = $1
         RETURNING kind, subscription_id`,
        [a.attemptId, a.salePartnerId, a.leadPartnerId, JSON.stringify(a)],
      );
      const attempt = rows[0];
      // A new subscription stores its partners for every renewal to come.
      if (attempt?.kind === 'subscription' && attempt.subscription_id) {
        await db.query(
          `INSERT INTO subscriptions (subscription_id, attempt_id, sale_partner_id, lead_partner_id, sale_attribution, lead_attribution)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (subscription_id) DO NOTHING`,
          [
            attempt.subscription_id,
            a.attemptId,
            a.salePartnerId,
            a.leadPartnerId,
            JSON.stringify(a.saleAttribution),
            JSON.stringify(a.leadAttribution),
          ],
        );
      }
      return;
    }
    case 'PaymentCollected': {
      const { rows } = await db.query<{ kind: string; subscription_id: string | null }>(
        `UPDATE attempts SET status = 'collected', outcome_at = $2 WHERE attempt_id = $1 RETURNING kind, subscription_id`,
        [event.data.attemptId, occurredAt],
      );
      const attempt = rows[0];
      if (attempt?.kind === 'renewal' && attempt.subscription_id) {
        await db.query(
          `UPDATE subscriptions SET collected_renewals = collected_renewals + 1 WHERE subscription_id = $1`,
          [attempt.subscription_id],
        );
      }
      return;
    }
    case 'PaymentDeclined':
      await db.query(`UPDATE attempts SET status = 'declined', outcome_at = $2 WHERE attempt_id = $1`, [
        event.data.attemptId,
        occurredAt,
      ]);
      return;
    case 'RefundIssued':
      await db.query(`UPDATE attempts SET refunded_minor = refunded_minor + $2 WHERE attempt_id = $1`, [
        event.data.attemptId,
        event.data.amountMinor,
      ]);
      return;
    case 'CommissionEarned': {
      const c = event.data;
      await db.query(
        `INSERT INTO commissions (commission_id, attempt_id, partner_id, amount_minor, earned_at, earned)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.commissionId, c.attemptId, c.partnerId, c.amountMinor, occurredAt, JSON.stringify(c)],
      );
      return;
    }
    case 'CommissionClawedBack':
      await db.query(`UPDATE commissions SET clawed_back_minor = $2 WHERE commission_id = $1`, [
        event.data.commissionId,
        event.data.clawedBackTotalMinor,
      ]);
      return;
    case 'PayoutBatchCreated': {
      const b = event.data;
      await db.query(
        `INSERT INTO payout_batches (batch_id, method, paid_at, total_minor, created_at, batch) VALUES ($1, $2, $3, $4, $5, $6)`,
        [b.batchId, b.method, b.paidAt, b.totalMinor, occurredAt, JSON.stringify(b)],
      );
      return;
    }
    case 'WebhookEndpointRegistered': {
      const w = event.data;
      await db.query(
        `INSERT INTO webhook_endpoints (endpoint_id, url, events, description, enabled, created_at, updated_at)
         VALUES ($1, $2, $3, $4, true, $5, $5)`,
        [w.endpointId, w.url, w.events, w.description, occurredAt],
      );
      return;
    }
    case 'WebhookEndpointChanged': {
      const c = event.data.changes;
      const columns: [string, unknown][] = [];
      if (c.url !== undefined) columns.push(['url', c.url]);
      if (c.events !== undefined) columns.push(['events', c.events]);
      if (c.description !== undefined) columns.push(['description', c.description]);
      if (c.enabled !== undefined) columns.push(['enabled', c.enabled]);
      if (c.disabledReason !== undefined) columns.push(['disabled_reason', c.disabledReason]);
      const sets = columns.map(([column], i) => `${column} = $${i + 3}`);
      await db.query(
        `UPDATE webhook_endpoints SET updated_at = $2${sets.map((s) => `, ${s}`).join('')} WHERE endpoint_id = $1`,
        [event.data.endpointId, occurredAt, ...columns.map(([, value]) => value)],
      );
      return;
    }
    case 'WebhookEndpointRemoved':
      await db.query('DELETE FROM webhook_endpoints WHERE endpoint_id = $1', [event.data.endpointId]);
      return;
    case 'PartnerPaid':
    case 'LedgerAdjusted':
      // Balances are the ledger projection's business; nothing here decides on them.
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`No write-model handler for ${(unhandled as { type: string }).type}`);
    }
  }
}

/**
 * Applies events in order; a run of clicks (most of the traffic) goes in as one INSERT. Joining a
 * named contact afterwards gives the same state as joining it click by click.
 */
export async function applyAllToWriteModel(db: Queryable, applied: readonly AppliedEvent[]): Promise<void> {
  let index = 0;
  while (index < applied.length) {
    const run: LinkClickedData[] = [];
    const times: string[] = [];
    while (index < applied.length) {
      const next = applied[index]!;
      if (next.event.type !== 'LinkClicked') break;
      run.push(next.event.data);
      times.push(next.occurredAt);
      index++;
    }
    if (run.length > 1) {
      await insertClicks(db, run, times);
      for (const [i, click] of run.entries()) {
        if (click.contactId) await joinVisitor(db, click.visitorId, click.contactId, times[i]!);
      }
      continue;
    }
    if (run.length === 1) {
      await applyToWriteModel(db, applied[index - 1]!);
      continue;
    }
    await applyToWriteModel(db, applied[index]!);
    index++;
  }
}

async function insertClicks(
  db: Queryable,
  clicks: readonly LinkClickedData[],
  times: readonly string[],
): Promise<void> {
  await db.query(
    `INSERT INTO clicks (click_id, visitor_id, contact_id, partner_id, link_id, ad_id, ip, user_agent, occurred_at, creditable)
     SELECT c.click_id, c.visitor_id, coalesce(c.contact_id, (SELECT v.contact_id FROM visitor_contacts v WHERE v.visitor_id = c.visitor_id)),
            c.partner_id, c.link_id, c.ad_id, c.ip, c.user_agent, c.occurred_at, c.creditable
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::boolean[])
            AS c(click_id, visitor_id, contact_id, partner_id, link_id, ad_id, ip, user_agent, occurred_at, creditable)`,
    [
      clicks.map((c) => c.clickId),
      clicks.map((c) => c.visitorId),
      clicks.map((c) => c.contactId),
      clicks.map((c) => c.partnerId),
      clicks.map((c) => c.linkId),
      clicks.map((c) => c.adId),
      clicks.map((c) => c.ip),
      clicks.map((c) => c.userAgent),
      times,
      clicks.map((c) => c.creditable),
    ],
  );
}

/** Joins a visitor's clicks to a contact (the first contact a visitor is seen with keeps it). */
async function joinVisitor(db: Queryable, visitorId: string, contactId: string, at: string): Promise<void> {
  const { rowCount } = await db.query(
    `INSERT INTO visitor_contacts (visitor_id, contact_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT (visitor_id) DO NOTHING`,
    [visitorId, contactId, at],
  );
  if ((rowCount ?? 0) > 0) {
    await db.query(`UPDATE clicks SET contact_id = $2 WHERE visitor_id = $1 AND contact_id IS NULL`, [
      visitorId,
      contactId,
    ]);
  }
}
