/**
 * Turns log events into webhook deliveries: one per (endpoint, source event) for every endpoint that
 * was subscribed to the event's webhook type at the event's position in the log. The subscriptions and
 * partner statuses it decides on are its own tables, rebuilt from the log; the deliveries are the
 * outbox, inserted with ON CONFLICT DO NOTHING on (endpoint, source event), so a replay or a rebuild
 * never makes a second one and never resets what was sent.
 */
import type { PartnerStatus } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { ProjectionContext } from '@app/projections';
import { type DomainProjection, type DomainRecordedEvent } from '../../infrastructure/domain-projection';
import { earlierOnStream } from '../delivery/log-reads';
import {
  WEBHOOK_SOURCE_TYPES,
  type MappingContext,
  type WebhookEvent,
  type WebhookEventType,
  toWebhookEvent,
} from './webhook-event-types';

/** What the subscriptions and partner statuses are built from. */
const OWN_TYPES = [
  'WebhookEndpointRegistered',
  'WebhookEndpointChanged',
  'WebhookEndpointRemoved',
  'PartnerEnrolled',
  'PartnerSignedUp',
  'PartnerChanged',
  'PartnerApproved',
] as const;
const HANDLED_TYPES = [...new Set([...OWN_TYPES, ...WEBHOOK_SOURCE_TYPES])];
type HandledEvent = DomainRecordedEvent<(typeof HANDLED_TYPES)[number]>;

export class WebhookDeliveriesProjection implements DomainProjection<HandledEvent['type']> {
  readonly name = 'webhook-deliveries';
  readonly handles = HANDLED_TYPES;
  readonly tables = ['webhook_subscriptions', 'webhook_partner_statuses'];

  async apply(events: readonly HandledEvent[], ctx: ProjectionContext): Promise<void> {
    const subscriptions = ctx.table('webhook_subscriptions');
    const statuses = ctx.table('webhook_partner_statuses');
    // The subscriptions as of the event being applied, kept in step with the table during the batch:
    // most events interest no endpoint and cost no query.
    const subscribed = new Map<string, { events: string[]; enabled: boolean }>();
    const { rows } = await ctx.query<{ endpoint_id: string; events: string[]; enabled: boolean }>(
      `SELECT endpoint_id, events, enabled FROM ${subscriptions}`,
    );
    for (const row of rows) subscribed.set(row.endpoint_id, { events: row.events, enabled: row.enabled });
    const endpointsFor = (type: WebhookEventType) =>
      [...subscribed].filter(([, sub]) => sub.enabled && sub.events.includes(type)).map(([id]) => id);
    for (const event of events) {
      const context: { previousStatus: PartnerStatus | null; salePartnerId: string | null } = {
        previousStatus: null,
        salePartnerId: null,
      };
      switch (event.type) {
        case 'WebhookEndpointRegistered':
          await ctx.query(
            `INSERT INTO ${subscriptions} (endpoint_id, events, enabled) VALUES ($1, $2, true)
               ON CONFLICT (endpoint_id) DO UPDATE SET events = EXCLUDED.events, enabled = true`,
            [event.data.endpointId, event.data.events],
          );
          subscribed.set(event.data.endpointId, { events: event.data.events, enabled: true });
          continue;
        case 'WebhookEndpointChanged': {
          const { events: types, enabled } = event.data.changes;
          await ctx.query(
            `UPDATE ${subscriptions} SET events = coalesce($2, events), enabled = coalesce($3, enabled)
              WHERE endpoint_id = $1`,
            [event.data.endpointId, types ?? null, enabled ?? null],
          );
          const current = subscribed.get(event.data.endpointId);
          if (current)
            subscribed.set(event.data.endpointId, {
              events: types ?? current.events,
              enabled: enabled ?? current.enabled,
            });
          continue;
        }
        case 'WebhookEndpointRemoved':
          await ctx.query(`DELETE FROM ${subscriptions} WHERE endpoint_id = $1`, [event.data.endpointId]);
          subscribed.delete(event.data.endpointId);
          continue;
        case 'PartnerEnrolled':
        case 'PartnerSignedUp':
          await ctx.query(
            `INSERT INTO ${statuses} (partner_id, status) VALUES ($1, $2)
               ON CONFLICT (partner_id) DO UPDATE SET status = EXCLUDED.status`,
            [event.data.partner.id, event.data.partner.status],
          );
          break;
        case 'PartnerApproved': {
          const { rows } = await ctx.query<{ status: PartnerStatus }>(
            `SELECT status FROM ${statuses} WHERE partner_id = $1`,
            [event.data.partnerId],
          );
          context.previousStatus = rows[0]?.status ?? null;
          await ctx.query(`UPDATE ${statuses} SET status = 'active' WHERE partner_id = $1`, [
            event.data.partnerId,
          ]);
          break;
        }
        case 'PartnerChanged': {
          const { rows } = await ctx.query<{ status: PartnerStatus }>(
            `SELECT status FROM ${statuses} WHERE partner_id = $1`,
            [event.data.partnerId],
          );
          context.previousStatus = rows[0]?.status ?? null;
          if (event.data.changes.status !== undefined) {
            await ctx.query(`UPDATE ${statuses} SET status = $2 WHERE partner_id = $1`, [
              event.data.partnerId,
              event.data.changes.status,
            ]);
          }
          break;
        }
        case 'PaymentDeclined': {
          if (endpointsFor('attempt.declined').length === 0) continue;
          const attributed = await earlierOnStream(ctx, event, 'AttemptAttributed');
          context.salePartnerId = (attributed?.data['salePartnerId'] as string | null | undefined) ?? null;
          break;
        }
        case 'CommissionEarned':
        case 'CommissionClawedBack':
        case 'ReferralRecorded':
        case 'PartnerPaid':
        case 'PayoutBatchCreated':
          break; // mapped from the event alone
      }
      const webhook = toWebhookEvent(event, context satisfies MappingContext);
      if (webhook) await this.deliver(event, webhook, endpointsFor(webhook.type), ctx);
    }
  }

  private async deliver(
    recorded: RecordedEvent,
    webhook: WebhookEvent,
    endpointIds: readonly string[],
    ctx: ProjectionContext,
  ): Promise<void> {
    if (endpointIds.length === 0) return;
    // The outbox is not one of this projection's tables: it is never emptied by a rebuild.
    await ctx.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_type, source_event_id, source_txid, source_seq, occurred_at, data)
       SELECT endpoint_id, $1, $2, $3::xid8, $4, $5, $6 FROM unnest($7::text[]) AS endpoint_id
       ON CONFLICT (endpoint_id, source_event_id) DO NOTHING`,
      [
        webhook.type,
        recorded.eventId,
        recorded.position.transactionId.toString(),
        recorded.position.sequence.toString(),
        recorded.occurredAt,
        JSON.stringify(webhook.data),
        endpointIds,
      ],
    );
  }
}
