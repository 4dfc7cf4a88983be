/**
 * The write-model rows of configuration and payouts (settings, programs, partners, links, ads,
 * collateral, batches, webhook endpoints): few events, applied one by one.
 */
import type { DomainEventType, EventOfType } from '@app/domain';
import type { ProjectionContext } from '@app/projections';
import type { AppliedEvent } from './applied-event';

export const CONFIGURATION_EVENT_TYPES = [
  'SettingsChanged',
  'ProgramDefined',
  'PartnerEnrolled',
  'PartnerSignedUp',
  'PartnerChanged',
  'PartnerApproved',
  'CollateralAdded',
  'CollateralRemoved',
  'LinkDefined',
  'AdCreated',
  'PayoutBatchCreated',
  'WebhookEndpointRegistered',
  'WebhookEndpointChanged',
  'WebhookEndpointRemoved',
] as const satisfies readonly DomainEventType[];
type ConfigurationEventType = (typeof CONFIGURATION_EVENT_TYPES)[number];

export async function applyConfiguration(
  ctx: ProjectionContext,
  applied: AppliedEvent<EventOfType<ConfigurationEventType>>,
): Promise<void> {
  const { event, occurredAt } = applied;
  const db = ctx;
  const t = (name: string) => ctx.table(name);
  switch (event.type) {
    case 'SettingsChanged':
      await db.query(
        `INSERT INTO ${t('settings_current')} (singleton, settings, changed_at) VALUES (true, $1, $2)
           ON CONFLICT (singleton) DO UPDATE SET settings = EXCLUDED.settings, changed_at = EXCLUDED.changed_at`,
        [JSON.stringify(event.data.settings), occurredAt],
      );
      return;
    case 'ProgramDefined': {
      const p = event.data.program;
      await db.query(
        `INSERT INTO ${t('programs')} (program_id, name, priority, definition, defined_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
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
        `INSERT INTO ${t('partners')} (partner_id, code, name, email, parent_id, program_ids, status, lead_cookie_days,
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
      await updateChanged(
        ctx,
        'partners',
        ['partner_id', event.data.partnerId],
        occurredAt,
        event.data.changes,
        {
          name: 'name',
          email: 'email',
          parentId: 'parent_id',
          programIds: 'program_ids',
          status: 'status',
          leadCookieDays: 'lead_cookie_days',
          notifyOnLead: 'notify_on_lead',
          notifyOnSale: 'notify_on_sale',
        },
      );
      return;
    }
    case 'PartnerApproved':
      await db.query(`UPDATE ${t('partners')} SET status = 'active', updated_at = $2 WHERE partner_id = $1`, [
        event.data.partnerId,
        occurredAt,
      ]);
      return;
    case 'CollateralAdded': {
      const c = event.data;
      await db.query(
        `INSERT INTO ${t('collateral')} (collateral_id, kind, name, link_id, file, email, added_at)
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
        `UPDATE ${t('collateral')} SET removed_at = $2 WHERE collateral_id = $1 AND removed_at IS NULL`,
        [event.data.collateralId, occurredAt],
      );
      return;
    case 'LinkDefined': {
      const l = event.data;
      await db.query(
        `INSERT INTO ${t('links')} (link_id, code, name, destination_url, program_id, defined_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (link_id) DO UPDATE
             SET code = EXCLUDED.code, name = EXCLUDED.name, destination_url = EXCLUDED.destination_url, program_id = EXCLUDED.program_id`,
        [l.linkId, l.code, l.name, l.destinationUrl, l.programId, occurredAt],
      );
      return;
    }
    case 'AdCreated': {
      const a = event.data;
      await db.query(
        `INSERT INTO ${t('ads')} (ad_id, partner_id, link_id, name, medium, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [a.adId, a.partnerId, a.linkId, a.name, a.medium, occurredAt],
      );
      return;
    }
    case 'PayoutBatchCreated': {
      const b = event.data;
      await db.query(
        `INSERT INTO ${t('payout_batches')} (batch_id, method, paid_at, total_minor, created_at, batch) VALUES ($1, $2, $3, $4, $5, $6)`,
        [b.batchId, b.method, b.paidAt, b.totalMinor, occurredAt, JSON.stringify(b)],
      );
      return;
    }
    case 'WebhookEndpointRegistered': {
      const w = event.data;
      await db.query(
        `INSERT INTO ${t('webhook_endpoints')} (endpoint_id, url, events, description, enabled, created_at, updated_at)
         VALUES ($1, $2, $3, $4, true, $5, $5)`,
        [w.endpointId, w.url, w.events, w.description, occurredAt],
      );
      return;
    }
    case 'WebhookEndpointChanged': {
      await updateChanged(
        ctx,
        'webhook_endpoints',
        ['endpoint_id', event.data.endpointId],
        occurredAt,
        event.data.changes,
        {
          url: 'url',
          events: 'events',
          description: 'description',
          enabled: 'enabled',
          disabledReason: 'disabled_reason',
        },
      );
      return;
    }
    case 'WebhookEndpointRemoved':
      await db.query(`DELETE FROM ${t('webhook_endpoints')} WHERE endpoint_id = $1`, [event.data.endpointId]);
      return;
  }
}

/**
 * Sets the changed fields (those present in `changes`, to their column by `columns`) and updated_at
 * of the row whose key column holds the id; the fields left out keep their values.
 */
async function updateChanged<C extends object>(
  ctx: ProjectionContext,
  table: string,
  [keyColumn, id]: readonly [string, string],
  occurredAt: string,
  changes: C,
  columns: { readonly [K in keyof Required<C>]: string },
): Promise<void> {
  const changed = (Object.keys(columns) as (keyof C)[]).flatMap((field) =>
    changes[field] === undefined ? [] : [{ column: columns[field], value: changes[field] }],
  );
  const sets = changed.map(({ column }, i) => `, ${column} = $${i + 3}`).join('');
  await ctx.query(`UPDATE ${ctx.table(table)} SET updated_at = $2${sets} WHERE ${keyColumn} = $1`, [
    id,
    occurredAt,
    ...changed.map(({ value }) => value),
  ]);
}
