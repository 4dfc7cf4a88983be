/**
 * The write-model rows of the traffic (clicks, opt-ins, referrals, attempts and their outcomes,
 * commissions), set-based: what a batch needs is read once, the batch is folded in memory in log
 * order, and each table is written with one statement at the end. The result equals applying the
 * events one by one (nothing reads these tables in between).
 */
import type {
  ActivityEventType,
  AttemptAttributedData,
  CommissionEarnedData,
  EventOfType,
  LinkClickedData,
  PurchaseAttemptedData,
  ReferralRecordedData,
} from '@app/domain';
import type { ProjectionContext } from '@app/projections';
import type { AppliedEvent } from './applied-event';

type ActivityEvent = AppliedEvent<EventOfType<ActivityEventType>>;

interface ClickRow {
  data: LinkClickedData;
  contactId: string | null;
  at: string;
}

interface NewAttempt {
  data: PurchaseAttemptedData;
  at: string;
  status: string;
  outcomeAt: string | null;
  refundedMinor: number;
  attributed: AttemptAttributedData | null;
}

/** What a batch changes on an attempt stored before it. */
interface AttemptChange {
  attributed: AttemptAttributedData | null;
  status: string | null;
  outcomeAt: string | null;
  refundedMinor: number;
}

interface NewSubscription {
  attemptId: string;
  attributed: AttemptAttributedData;
  collectedRenewals: number;
}

interface NewCommission {
  data: CommissionEarnedData;
  at: string;
  clawedBackMinor: number;
}

class ActivityBatch {
  private readonly contacts = new Map<string, string>();
  private readonly joins = new Map<string, { contactId: string; at: string }>();
  private readonly clicks: ClickRow[] = [];
  private readonly referrals: { eventId: string; data: ReferralRecordedData }[] = [];
  private readonly newAttempts = new Map<string, NewAttempt>();
  private readonly changedAttempts = new Map<string, AttemptChange>();
  /** Attempts stored before the batch: what the outcome rules need of them. */
  private readonly storedAttempts = new Map<string, { kind: string; subscriptionId: string | null }>();
  private readonly storedSubscriptions = new Set<string>();
  private readonly newSubscriptions = new Map<string, NewSubscription>();
  private readonly renewalsCollected = new Map<string, number>();
  private readonly newCommissions = new Map<string, NewCommission>();
  private readonly clawedBack = new Map<string, number>();

  static async load(ctx: ProjectionContext, events: readonly ActivityEvent[]): Promise<ActivityBatch> {
    const batch = new ActivityBatch();
    const visitors = new Set<string>();
    const attempts = new Set<string>();
    const subscriptions = new Set<string>();
    for (const { event } of events) {
      if (event.type === 'LinkClicked') visitors.add(event.data.visitorId);
      else if (event.type === 'ContactOptedIn' || event.type === 'PurchaseAttempted') {
        if (event.data.visitorId) visitors.add(event.data.visitorId);
        if (event.type === 'PurchaseAttempted' && event.data.subscriptionId)
          subscriptions.add(event.data.subscriptionId);
      } else if (
        event.type === 'AttemptAttributed' ||
        event.type === 'PaymentCollected' ||
        event.type === 'PaymentDeclined' ||
        event.type === 'RefundIssued'
      )
        attempts.add(event.data.attemptId);
    }
    if (visitors.size > 0) {
      const { rows } = await ctx.query<{ visitor_id: string; contact_id: string }>(
        `SELECT visitor_id, contact_id FROM ${ctx.table('visitor_contacts')} WHERE visitor_id = ANY($1)`,
        [[...visitors]],
      );
      for (const row of rows) batch.contacts.set(row.visitor_id, row.contact_id);
    }
    if (attempts.size > 0) {
      const { rows } = await ctx.query<{ attempt_id: string; kind: string; subscription_id: string | null }>(
        `SELECT attempt_id, kind, subscription_id FROM ${ctx.table('attempts')} WHERE attempt_id = ANY($1)`,
        [[...attempts]],
      );
      for (const row of rows) {
        batch.storedAttempts.set(row.attempt_id, { kind: row.kind, subscriptionId: row.subscription_id });
        if (row.subscription_id) subscriptions.add(row.subscription_id);
      }
    }
    if (subscriptions.size > 0) {
      const stored = await ctx.query<{ subscription_id: string }>(
        `SELECT subscription_id FROM ${ctx.table('subscriptions')} WHERE subscription_id = ANY($1)`,
        [[...subscriptions]],
      );
      for (const row of stored.rows) batch.storedSubscriptions.add(row.subscription_id);
    }
    return batch;
  }

  /** The first contact a visitor is seen with keeps it; its clicks without a contact join it. */
  private join(visitorId: string, contactId: string, at: string): void {
    if (this.contacts.has(visitorId)) return;
    this.contacts.set(visitorId, contactId);
    this.joins.set(visitorId, { contactId, at });
    for (const click of this.clicks)
      if (click.data.visitorId === visitorId && click.contactId === null) click.contactId = contactId;
  }

  private attempt(attemptId: string): { kind: string; subscriptionId: string | null } | undefined {
    const fresh = this.newAttempts.get(attemptId);
    return fresh
      ? { kind: fresh.data.kind, subscriptionId: fresh.data.subscriptionId }
      : this.storedAttempts.get(attemptId);
  }

  /** Changes an attempt, whether it was stored before the batch or is new in it. */
  private change(attemptId: string, apply: (row: AttemptChange | NewAttempt) => void): void {
    const fresh = this.newAttempts.get(attemptId);
    if (fresh) return apply(fresh);
    if (!this.storedAttempts.has(attemptId)) return; // an UPDATE that matches no row
    const change = this.changedAttempts.get(attemptId) ?? {
      attributed: null,
      status: null,
      outcomeAt: null,
      refundedMinor: 0,
    };
    apply(change);
    this.changedAttempts.set(attemptId, change);
  }

  apply({ event, occurredAt: at, eventId }: ActivityEvent): void {
    switch (event.type) {
      case 'LinkClicked': {
        const c = event.data;
        this.clicks.push({ data: c, contactId: c.contactId ?? this.contacts.get(c.visitorId) ?? null, at });
        if (c.contactId) this.join(c.visitorId, c.contactId, at);
        return;
      }
      case 'ContactOptedIn':
        if (event.data.visitorId) this.join(event.data.visitorId, event.data.contactId, at);
        return;
      case 'ReferralRecorded':
        this.referrals.push({ eventId, data: event.data });
        return;
      case 'PurchaseAttempted': {
        const a = event.data;
        if (!this.newAttempts.has(a.attemptId) && !this.storedAttempts.has(a.attemptId)) {
          this.newAttempts.set(a.attemptId, {
            data: a,
            at,
            status: 'pending',
            outcomeAt: null,
            refundedMinor: 0,
            attributed: null,
          });
        }
        if (a.visitorId) this.join(a.visitorId, a.contactId, at);
        return;
      }
      case 'AttemptAttributed': {
        const a = event.data;
        this.change(a.attemptId, (row) => {
          row.attributed = a;
        });
        const attempt = this.attempt(a.attemptId);
        // A new subscription stores its partners for every renewal to come.
        if (attempt?.kind === 'subscription' && attempt.subscriptionId) {
          const id = attempt.subscriptionId;
          if (!this.storedSubscriptions.has(id) && !this.newSubscriptions.has(id))
            this.newSubscriptions.set(id, { attemptId: a.attemptId, attributed: a, collectedRenewals: 0 });
        }
        return;
      }
      case 'PaymentCollected': {
        this.change(event.data.attemptId, (row) => {
          row.status = 'collected';
          row.outcomeAt = at;
        });
        const attempt = this.attempt(event.data.attemptId);
        if (attempt?.kind === 'renewal' && attempt.subscriptionId) {
          const id = attempt.subscriptionId;
          const fresh = this.newSubscriptions.get(id);
          if (fresh) fresh.collectedRenewals++;
          else if (this.storedSubscriptions.has(id))
            this.renewalsCollected.set(id, (this.renewalsCollected.get(id) ?? 0) + 1);
        }
        return;
      }
      case 'PaymentDeclined':
        this.change(event.data.attemptId, (row) => {
          row.status = 'declined';
          row.outcomeAt = at;
        });
        return;
      case 'RefundIssued':
        this.change(event.data.attemptId, (row) => {
          row.refundedMinor += event.data.amountMinor;
        });
        return;
      case 'CommissionEarned':
        if (!this.newCommissions.has(event.data.commissionId))
          this.newCommissions.set(event.data.commissionId, { data: event.data, at, clawedBackMinor: 0 });
        return;
      case 'CommissionClawedBack': {
        // Added up from each refund's share rather than set to the running total: concurrent refunds of
        // one attempt commit in the order they were decided, which need not be the log's order, and a
        // sum is the same in any order (their last total is that sum).
        const { commissionId, amountMinor } = event.data;
        const fresh = this.newCommissions.get(commissionId);
        if (fresh) fresh.clawedBackMinor += amountMinor;
        else this.clawedBack.set(commissionId, (this.clawedBack.get(commissionId) ?? 0) + amountMinor);
        return;
      }
    }
  }

  async write(ctx: ProjectionContext): Promise<void> {
    const t = (name: string) => ctx.table(name);
    if (this.clicks.length > 0) {
      const c = this.clicks;
      await ctx.query(
        `INSERT INTO ${t('clicks')} (click_id, visitor_id, contact_id, partner_id, link_id, ad_id, ip, user_agent, occurred_at, creditable)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                              $9::timestamptz[], $10::boolean[])`,
        [
          c.map((r) => r.data.clickId),
          c.map((r) => r.data.visitorId),
          c.map((r) => r.contactId),
          c.map((r) => r.data.partnerId),
          c.map((r) => r.data.linkId),
          c.map((r) => r.data.adId),
          c.map((r) => r.data.ip),
          c.map((r) => r.data.userAgent),
          c.map((r) => r.at),
          c.map((r) => r.data.creditable),
        ],
      );
    }
    if (this.joins.size > 0) {
      const joins = [...this.joins];
      // Only the joins that are new (a concurrent writer may have joined the visitor first) update
      // the visitor's clicks stored before.
      await ctx.query(
        `WITH joined AS (
           INSERT INTO ${t('visitor_contacts')} (visitor_id, contact_id, joined_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
           ON CONFLICT (visitor_id) DO NOTHING
           RETURNING visitor_id, contact_id)
         UPDATE ${t('clicks')} c SET contact_id = j.contact_id FROM joined j
          WHERE c.visitor_id = j.visitor_id AND c.contact_id IS NULL`,
        [joins.map(([v]) => v), joins.map(([, j]) => j.contactId), joins.map(([, j]) => j.at)],
      );
    }
    if (this.referrals.length > 0) {
      const r = this.referrals;
      await ctx.query(
        `INSERT INTO ${t('referrals')} (referral_id, contact_id, partner_id, source, set_at, last_seen_at, expires_at, click_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                              $7::timestamptz[], $8::text[])`,
        [
          r.map((x) => x.eventId),
          r.map((x) => x.data.contactId),
          r.map((x) => x.data.partnerId),
          r.map((x) => x.data.source),
          r.map((x) => x.data.setAt),
          r.map((x) => x.data.lastSeenAt),
          r.map((x) => x.data.expiresAt),
          r.map((x) => x.data.clickId),
        ],
      );
    }
    await this.writeAttempts(ctx);
    await this.writeSubscriptions(ctx);
    await this.writeCommissions(ctx);
  }

  private async writeAttempts(ctx: ProjectionContext): Promise<void> {
    const fresh = [...this.newAttempts.values()];
    if (fresh.length > 0) {
      await ctx.query(
        `INSERT INTO ${ctx.table('attempts')} (attempt_id, order_id, contact_id, kind, subscription_id, status, currency,
                total_minor, refunded_minor, sale_partner_id, lead_partner_id, attempted_at, outcome_at, attempted, attributed)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[],
                              $14::jsonb[], $15::jsonb[])`,
        [
          fresh.map((a) => a.data.attemptId),
          fresh.map((a) => a.data.orderId),
          fresh.map((a) => a.data.contactId),
          fresh.map((a) => a.data.kind),
          fresh.map((a) => a.data.subscriptionId),
          fresh.map((a) => a.status),
          fresh.map((a) => a.data.currency),
          fresh.map((a) => a.data.totalMinor),
          fresh.map((a) => a.refundedMinor),
          fresh.map((a) => a.attributed?.salePartnerId ?? null),
          fresh.map((a) => a.attributed?.leadPartnerId ?? null),
          fresh.map((a) => a.at),
          fresh.map((a) => a.outcomeAt),
          fresh.map((a) => JSON.stringify(a.data)),
          fresh.map((a) => (a.attributed ? JSON.stringify(a.attributed) : null)),
        ],
      );
    }
    const changed = [...this.changedAttempts];
    if (changed.length > 0) {
      await ctx.query(
        `UPDATE ${ctx.table('attempts')} a
            SET sale_partner_id = CASE WHEN u.attributed IS NULL THEN a.sale_partner_id ELSE u.sale_partner_id END,
                lead_partner_id = CASE WHEN u.attributed IS NULL THEN a.lead_partner_id ELSE u.lead_partner_id END,
                attributed = coalesce(u.attributed, a.attributed),
                status = coalesce(u.status, a.status),
                outcome_at = CASE WHEN u.status IS NULL THEN a.outcome_at ELSE u.outcome_at END,
                refunded_minor = a.refunded_minor + u.refunded_minor
           FROM unnest($1::text[], $2::jsonb[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::bigint[])
                AS u(attempt_id, attributed, sale_partner_id, lead_partner_id, status, outcome_at, refunded_minor)
          WHERE a.attempt_id = u.attempt_id`,
        [
          changed.map(([id]) => id),
          changed.map(([, c]) => (c.attributed ? JSON.stringify(c.attributed) : null)),
          changed.map(([, c]) => c.attributed?.salePartnerId ?? null),
          changed.map(([, c]) => c.attributed?.leadPartnerId ?? null),
          changed.map(([, c]) => c.status),
          changed.map(([, c]) => c.outcomeAt),
          changed.map(([, c]) => c.refundedMinor),
        ],
      );
    }
  }

  private async writeSubscriptions(ctx: ProjectionContext): Promise<void> {
    const fresh = [...this.newSubscriptions];
    if (fresh.length > 0) {
      await ctx.query(
        `INSERT INTO ${ctx.table('subscriptions')} (subscription_id, attempt_id, sale_partner_id, lead_partner_id,
                sale_attribution, lead_attribution, collected_renewals)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::integer[])
         ON CONFLICT (subscription_id) DO NOTHING`,
        [
          fresh.map(([id]) => id),
          fresh.map(([, s]) => s.attemptId),
          fresh.map(([, s]) => s.attributed.salePartnerId),
          fresh.map(([, s]) => s.attributed.leadPartnerId),
          fresh.map(([, s]) => JSON.stringify(s.attributed.saleAttribution)),
          fresh.map(([, s]) => JSON.stringify(s.attributed.leadAttribution)),
          fresh.map(([, s]) => s.collectedRenewals),
        ],
      );
    }
    const renewals = [...this.renewalsCollected];
    if (renewals.length > 0) {
      await ctx.query(
        `UPDATE ${ctx.table('subscriptions')} s SET collected_renewals = s.collected_renewals + u.n
           FROM unnest($1::text[], $2::integer[]) AS u(subscription_id, n) WHERE s.subscription_id = u.subscription_id`,
        [renewals.map(([id]) => id), renewals.map(([, n]) => n)],
      );
    }
  }

  private async writeCommissions(ctx: ProjectionContext): Promise<void> {
    const fresh = [...this.newCommissions.values()];
    if (fresh.length > 0) {
      await ctx.query(
        `INSERT INTO ${ctx.table('commissions')} (commission_id, attempt_id, partner_id, amount_minor, clawed_back_minor,
                earned_at, earned)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::timestamptz[], $7::jsonb[])`,
        [
          fresh.map((c) => c.data.commissionId),
          fresh.map((c) => c.data.attemptId),
          fresh.map((c) => c.data.partnerId),
          fresh.map((c) => c.data.amountMinor),
          fresh.map((c) => c.clawedBackMinor),
          fresh.map((c) => c.at),
          fresh.map((c) => JSON.stringify(c.data)),
        ],
      );
    }
    const clawed = [...this.clawedBack];
    if (clawed.length > 0) {
      await ctx.query(
        `UPDATE ${ctx.table('commissions')} c SET clawed_back_minor = c.clawed_back_minor + u.share
           FROM unnest($1::text[], $2::bigint[]) AS u(commission_id, share) WHERE c.commission_id = u.commission_id`,
        [clawed.map(([id]) => id), clawed.map(([, share]) => share)],
      );
    }
  }
}

/** Applies a batch of activity events (in log order) to the write model. */
export async function applyActivity(ctx: ProjectionContext, events: readonly ActivityEvent[]): Promise<void> {
  if (events.length === 0) return;
  const batch = await ActivityBatch.load(ctx, events);
  for (const event of events) batch.apply(event);
  await batch.write(ctx);
}
