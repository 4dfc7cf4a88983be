/**
 * Turns log events into partner emails (domain.md 12, seed 003): a lead notification to each partner
 * that becomes a referral record of a contact through an opt-in, and a sale notification once per
 * collection to each partner that earns a commission on it (all its lines and levels in one message).
 * None when `skipNotifications` is on, the partner's flag is off, the partner is not active or has no
 * email, all as they stood at the event's position in the log (this projection's own tables, rebuilt
 * from the log). The notifications are the outbox, inserted with ON CONFLICT DO NOTHING on (source
 * event, partner, kind): a replay or a rebuild never makes a second one. Events recorded before this
 * feature was installed (notifications_start) build the state but are announced to no one.
 *
 * Set-based per batch: the opt-ins and collections between two changes of state (settings, partners)
 * are announced together, with one read of the events that followed them, one read of the recipients
 * and one insert into the outbox, so a batch costs a few statements, not a few per event.
 */
import type { CommissionEarnedData, Partner, PartnerChanges, ReferralRecordedData } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { ProjectionContext } from '@app/projections';
import { type DomainProjection, type DomainRecordedEvent } from '../../infrastructure/domain-projection';
import { type StreamEvent, laterInSameTransactions } from '../delivery/log-reads';
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
type Announced = DomainRecordedEvent<'ContactOptedIn' | 'PaymentCollected'>;

/** One email to write into the outbox. */
interface Notification {
  readonly source: RecordedEvent;
  readonly partner: PartnerRow;
  readonly details: NotificationDetails;
}

const FOLLOWING_TYPES: Record<Announced['type'], readonly string[]> = {
  ContactOptedIn: ['ContactOptedIn', 'ReferralRecorded'],
  PaymentCollected: ['CommissionEarned'],
};

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
    // Opt-ins and collections since the last change of state, announced together before the next one.
    let pending: Announced[] = [];
    const flush = async () => {
      if (pending.length > 0) await this.announce(ctx, pending);
      pending = [];
    };
    for (const event of events) {
      switch (event.type) {
        case 'SettingsChanged':
          await flush();
          skip = event.data.settings.skipNotifications;
          await ctx.query(`UPDATE ${settings} SET skip_notifications = $1`, [skip]);
          break;
        case 'PartnerEnrolled':
        case 'PartnerSignedUp':
          await flush();
          await this.enrol(ctx, event.data.partner);
          break;
        case 'PartnerApproved':
          await flush();
          await this.change(ctx, event.data.partnerId, { status: 'active' });
          break;
        case 'PartnerChanged':
          await flush();
          await this.change(ctx, event.data.partnerId, event.data.changes);
          break;
        case 'ContactOptedIn':
        case 'PaymentCollected':
          if (!skip && isNew(event)) pending.push(event);
          break;
      }
    }
    await flush();
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

  /**
   * The notifications of opt-ins and collections with no change of state between them: the events
   * that followed each in its transaction, the recipients as the state stands, one insert.
   */
  private async announce(ctx: ProjectionContext, events: readonly Announced[]): Promise<void> {
    const following = await laterInSameTransactions(
      ctx,
      events.map((event) => ({ event, types: FOLLOWING_TYPES[event.type] })),
    );
    const candidates = events.map((event, i) =>
      event.type === 'ContactOptedIn' ? leadPartners(following[i] ?? []) : salePartners(following[i] ?? []),
    );
    const recipients = await this.recipients(ctx, [...new Set(candidates.flat())]);
    const notifications: Notification[] = [];
    events.forEach((event, i) => {
      const partnerIds = [...new Set(candidates[i])];
      if (event.type === 'ContactOptedIn') {
        for (const partner of allowed(recipients, partnerIds, 'notify_on_lead'))
          notifications.push({ source: event, partner, details: leadDetails(event, partner) });
      } else {
        const commissions = (following[i] ?? []).map((e) => e.data as unknown as CommissionEarnedData);
        for (const partner of allowed(recipients, partnerIds, 'notify_on_sale'))
          notifications.push({ source: event, partner, details: saleDetails(event, partner, commissions) });
      }
    });
    await this.insert(ctx, notifications);
  }

  /** Who may be told, as of now in the log: active, with an email, and no global skip (flags apart). */
  private async recipients(
    ctx: ProjectionContext,
    partnerIds: readonly string[],
  ): Promise<Map<string, PartnerRow>> {
    if (partnerIds.length === 0) return new Map();
    const { rows } = await ctx.query<PartnerRow>(
      `SELECT p.* FROM ${ctx.table('notify_partners')} p, ${ctx.table('notify_settings')} s
        WHERE p.partner_id = ANY($1) AND NOT s.skip_notifications AND p.status = 'active'
          AND p.email IS NOT NULL`,
      [partnerIds],
    );
    return new Map(rows.map((r) => [r.partner_id, r]));
  }

  private async insert(ctx: ProjectionContext, notifications: readonly Notification[]): Promise<void> {
    if (notifications.length === 0) return;
    // The outbox is not one of this projection's tables: it is never emptied by a rebuild.
    await ctx.query(
      `INSERT INTO notifications (partner_id, kind, source_event_id, source_txid, source_seq, occurred_at, recipient,
                                  subject, details)
       SELECT partner_id, kind, source_event_id, source_txid, source_seq, occurred_at, recipient, subject,
              details::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::xid8[], $5::bigint[], $6::timestamptz[], $7::text[],
                     $8::text[], $9::text[])
                AS n(partner_id, kind, source_event_id, source_txid, source_seq, occurred_at, recipient, subject,
                     details)
       ON CONFLICT (source_event_id, partner_id, kind) DO NOTHING`,
      [
        notifications.map((n) => n.partner.partner_id),
        notifications.map((n) => n.details.kind),
        notifications.map((n) => n.source.eventId),
        notifications.map((n) => n.source.position.transactionId.toString()),
        notifications.map((n) => n.source.position.sequence.toString()),
        notifications.map((n) => n.source.occurredAt),
        notifications.map((n) => n.partner.email),
        notifications.map((n) => subjectOf(n.details)),
        notifications.map((n) => JSON.stringify(n.details)),
      ],
    );
  }
}

/** The partners of the referral records an opt-in made (they follow it, before any other opt-in). */
function leadPartners(following: readonly StreamEvent[]): string[] {
  const partners: string[] = [];
  for (const next of following) {
    if (next.type !== 'ReferralRecorded') break;
    const referral = next.data as unknown as ReferralRecordedData;
    if (referral.source === 'opt-in') partners.push(referral.partnerId);
  }
  return partners;
}

/** The partners that earn a commission on a collection. */
function salePartners(following: readonly StreamEvent[]): string[] {
  return following.map((e) => (e.data as unknown as CommissionEarnedData).partnerId);
}

/** The recipients among `partnerIds` whose flag is on, in the order the recipients were read. */
function allowed(
  recipients: ReadonlyMap<string, PartnerRow>,
  partnerIds: readonly string[],
  flag: 'notify_on_lead' | 'notify_on_sale',
): PartnerRow[] {
  const wanted = new Set(partnerIds);
  return [...recipients.values()].filter((p) => wanted.has(p.partner_id) && p[flag]);
}

function leadDetails(optIn: DomainRecordedEvent<'ContactOptedIn'>, partner: PartnerRow): NotificationDetails {
  return {
    kind: 'lead',
    partnerName: partner.name,
    partnerCode: partner.code,
    occurredAt: optIn.occurredAt,
    formId: optIn.data.formId,
  };
}

/** One message with every commission (lines and levels) this collection earned the partner. */
function saleDetails(
  collection: RecordedEvent,
  partner: PartnerRow,
  commissions: readonly CommissionEarnedData[],
): NotificationDetails {
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
  return {
    kind: 'sale',
    partnerName: partner.name,
    partnerCode: partner.code,
    occurredAt: collection.occurredAt,
    currency: first.currency,
    totalMinor: lines.reduce((sum, line) => sum + line.amountMinor, 0),
    renewalNumber: first.renewalNumber,
    lines,
  };
}
