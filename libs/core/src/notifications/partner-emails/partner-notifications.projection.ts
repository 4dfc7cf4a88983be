/**
 * Turns log events into partner emails (domain.md 12, seed 003): a lead notification to each partner
 * that becomes a referral record of a contact through an opt-in, and a sale notification once per
 * collection to each partner that earns a commission on it (all its lines and levels in one message).
 * None when `skipNotifications` is on, the partner's flag is off, the partner is not active or has no
 * email, all as they stood at the event's position in the log (this projection's own tables, rebuilt
 * from the log). The notifications are the outbox, inserted with ON CONFLICT DO NOTHING on (source
 * event, partner, kind): a replay or a rebuild never makes a second one. Events recorded before this
 * feature was installed (notifications_start) build the state but are announced to no one.
 */
import type {
  CommissionEarnedData,
  ContactOptedInData,
  Partner,
  PartnerChanges,
  ReferralRecordedData,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { ProjectionContext } from '@app/projections';
import { type DomainProjection, type DomainRecordedEvent } from '../../infrastructure/domain-projection';
import { laterInSameTransaction } from '../delivery/log-reads';
import { type NotificationDetails, type SaleLine, subjectOf } from './email-content';

interface PartnerRow {
  partner_id: string;
  code: string;
  name: string;
  email: string | null;
  status: string;
  notify_on_lead: boolean;
  notify_on_sale: boolean;
}

const PARTNER_COLUMNS: Record<string, keyof PartnerRow> = {
  name: 'name',
  email: 'email',
  status: 'status',
  notifyOnLead: 'notify_on_lead',
  notifyOnSale: 'notify_on_sale',
};

const HANDLED_TYPES = [
  'SettingsChanged',
  'PartnerEnrolled',
  'PartnerSignedUp',
  'PartnerChanged',
  'PartnerApproved',
  'ContactOptedIn',
  'PaymentCollected',
] as const;
type HandledEvent = DomainRecordedEvent<(typeof HANDLED_TYPES)[number]>;

export class PartnerNotificationsProjection implements DomainProjection<HandledEvent['type']> {
  readonly name = 'partner-notifications';
  readonly handles = HANDLED_TYPES;
  readonly tables = ['notify_settings', 'notify_partners'];

  async apply(events: readonly HandledEvent[], ctx: ProjectionContext): Promise<void> {
    const settings = ctx.table('notify_settings');
    await ctx.query(`INSERT INTO ${settings} (singleton) VALUES (true) ON CONFLICT (singleton) DO NOTHING`);
    const { rows } = await ctx.query<{ skip_notifications: boolean }>(
      `SELECT skip_notifications FROM ${settings}`,
    );
    // While notifications are skipped, opt-ins and collections cost no query at all.
    let skip = rows[0]?.skip_notifications ?? false;
    const start = await ctx.query<{ recorded_after: Date }>('SELECT recorded_after FROM notifications_start');
    const startMs = start.rows[0]?.recorded_after.getTime() ?? 0;
    const isNew = (e: RecordedEvent) => Date.parse(e.recordedAt) >= startMs;
    for (const event of events) {
      switch (event.type) {
        case 'SettingsChanged':
          skip = event.data.settings.skipNotifications;
          await ctx.query(`UPDATE ${settings} SET skip_notifications = $1`, [skip]);
          break;
        case 'PartnerEnrolled':
        case 'PartnerSignedUp':
          await this.enrol(ctx, event.data.partner);
          break;
        case 'PartnerApproved':
          await this.change(ctx, event.data.partnerId, { status: 'active' });
          break;
        case 'PartnerChanged':
          await this.change(ctx, event.data.partnerId, event.data.changes);
          break;
        case 'ContactOptedIn':
          if (!skip && isNew(event)) await this.leads(ctx, event, event.data);
          break;
        case 'PaymentCollected':
          if (!skip && isNew(event)) await this.sale(ctx, event);
          break;
      }
    }
  }

  private async enrol(ctx: ProjectionContext, p: Partner): Promise<void> {
    await ctx.query(
      `INSERT INTO ${ctx.table('notify_partners')} (partner_id, code, name, email, status, notify_on_lead, notify_on_sale)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (partner_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, email = EXCLUDED.email,
         status = EXCLUDED.status, notify_on_lead = EXCLUDED.notify_on_lead, notify_on_sale = EXCLUDED.notify_on_sale`,
      [p.id, p.code, p.name, p.email, p.status, p.notifyOnLead, p.notifyOnSale],
    );
  }

  private async change(ctx: ProjectionContext, partnerId: string, changes: PartnerChanges): Promise<void> {
    const sets: [string, unknown][] = [];
    for (const [field, column] of Object.entries(PARTNER_COLUMNS)) {
      const value = (changes as Record<string, unknown>)[field];
      if (value !== undefined) sets.push([column, value]);
    }
    if (sets.length === 0) return;
    await ctx.query(
      `UPDATE ${ctx.table('notify_partners')} SET ${sets.map(([column], i) => `${column} = $${i + 2}`).join(', ')}
        WHERE partner_id = $1`,
      [partnerId, ...sets.map(([, value]) => value)],
    );
  }

  /** Who may be told, as of now in the log: active, with an email, the flag on, and no global skip. */
  private async recipients(
    ctx: ProjectionContext,
    partnerIds: readonly string[],
    flag: 'notify_on_lead' | 'notify_on_sale',
  ): Promise<Map<string, PartnerRow>> {
    if (partnerIds.length === 0) return new Map();
    const { rows } = await ctx.query<PartnerRow>(
      `SELECT p.* FROM ${ctx.table('notify_partners')} p, ${ctx.table('notify_settings')} s
        WHERE p.partner_id = ANY($1) AND NOT s.skip_notifications AND p.status = 'active'
          AND p.email IS NOT NULL AND p.${flag}`,
      [partnerIds],
    );
    return new Map(rows.map((r) => [r.partner_id, r]));
  }

  /** The referral records this opt-in made (they follow it in its transaction, before any other opt-in). */
  private async leads(ctx: ProjectionContext, optIn: RecordedEvent, data: ContactOptedInData): Promise<void> {
    const following = await laterInSameTransaction(ctx, optIn, ['ContactOptedIn', 'ReferralRecorded']);
    const referrals: ReferralRecordedData[] = [];
    for (const next of following) {
      if (next.type !== 'ReferralRecorded') break;
      const referral = next.data as unknown as ReferralRecordedData;
      if (referral.source === 'opt-in') referrals.push(referral);
    }
    const recipients = await this.recipients(
      ctx,
      referrals.map((r) => r.partnerId),
      'notify_on_lead',
    );
    for (const partner of recipients.values()) {
      await this.insert(ctx, optIn, partner, {
        kind: 'lead',
        partnerName: partner.name,
        partnerCode: partner.code,
        occurredAt: optIn.occurredAt,
        formId: data.formId,
      });
    }
  }

  /** One message per partner with every commission (lines and levels) this collection earned it. */
  private async sale(ctx: ProjectionContext, collection: RecordedEvent): Promise<void> {
    const commissions = (await laterInSameTransaction(ctx, collection, ['CommissionEarned'])).map(
      (e) => e.data as unknown as CommissionEarnedData,
    );
    const recipients = await this.recipients(
      ctx,
      [...new Set(commissions.map((c) => c.partnerId))],
      'notify_on_sale',
    );
    for (const partner of recipients.values()) {
      const mine = commissions.filter((c) => c.partnerId === partner.partner_id);
      const [first] = mine;
      if (!first) throw new Error(`recipient ${partner.partner_id} is not among the commissions' partners`);
      const lines: SaleLine[] = mine.map((c) => ({
        commissionId: c.commissionId,
        productId: c.productId,
        quantity: c.quantity,
        role: c.role,
        level: c.level,
        amountMinor: c.amountMinor,
      }));
      await this.insert(ctx, collection, partner, {
        kind: 'sale',
        partnerName: partner.name,
        partnerCode: partner.code,
        occurredAt: collection.occurredAt,
        currency: first.currency,
        totalMinor: lines.reduce((sum, line) => sum + line.amountMinor, 0),
        renewalNumber: first.renewalNumber,
        lines,
      });
    }
  }

  private async insert(
    ctx: ProjectionContext,
    source: RecordedEvent,
    partner: PartnerRow,
    details: NotificationDetails,
  ): Promise<void> {
    // The outbox is not one of this projection's tables: it is never emptied by a rebuild.
    await ctx.query(
      `INSERT INTO notifications (partner_id, kind, source_event_id, source_txid, source_seq, occurred_at, recipient,
                                  subject, details)
       VALUES ($1, $2, $3, $4::xid8, $5, $6, $7, $8, $9)
       ON CONFLICT (source_event_id, partner_id, kind) DO NOTHING`,
      [
        partner.partner_id,
        details.kind,
        source.eventId,
        source.position.transactionId.toString(),
        source.position.sequence.toString(),
        source.occurredAt,
        partner.email,
        subjectOf(details),
        JSON.stringify(details),
      ],
    );
  }
}
