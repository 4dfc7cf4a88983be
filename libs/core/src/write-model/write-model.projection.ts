/**
 * The write model (the tables that commands decide on) is a projection of the log like the read
 * models, with one difference: it is applied inline, in the transaction that appends the events (the
 * next command, even the next request, decides on it at once), by this same code that rebuilds it
 * from the log and that the audit replays to verify it.
 *
 * Not derived from the log, so not part of it: partner_credentials, API keys, sign-in limits,
 * collateral files, webhook secrets, deliveries and leases.
 */
import { ACTIVITY_EVENT_TYPES, type ActivityEventType, type EventOfType } from '@app/domain';
import type { Queryable } from '@app/platform';
import type { ProjectionContext } from '@app/projections';
import { type DomainRecordedEvent, domainProjection } from '../infrastructure/domain-projection';
import { applyActivity } from './activity-rows';
import { type AppliedEvent, isAppliedOfType } from './applied-event';
import { CONFIGURATION_EVENT_TYPES, applyConfiguration } from './configuration-rows';

export const WRITE_MODEL_PROJECTION = 'write-model';

export const WRITE_MODEL_TABLES = [
  'settings_current',
  'programs',
  'partners',
  'links',
  'ads',
  'collateral',
  'clicks',
  'visitor_contacts',
  'referrals',
  'attempts',
  'subscriptions',
  'commissions',
  'payout_batches',
  'webhook_endpoints',
] as const;

/**
 * What the write model applies: the configuration events (one by one) and the activity events (set-based).
 * Payments and adjustments change nothing here: balances are the ledger projection's business.
 */
const WRITE_MODEL_EVENT_TYPES = [...CONFIGURATION_EVENT_TYPES, ...ACTIVITY_EVENT_TYPES] as const;
type WriteModelEventType = (typeof WRITE_MODEL_EVENT_TYPES)[number];

/**
 * Applies events in log order; those of other types than the write model's are passed over. The
 * activity tables and the configuration tables are disjoint and neither reads the other, so the
 * activity events go in as one set-based batch after the configuration events have been applied one by
 * one: the same result as one by one throughout.
 */
export async function applyToWriteModel(
  ctx: ProjectionContext,
  applied: readonly AppliedEvent[],
): Promise<void> {
  const activity: AppliedEvent<EventOfType<ActivityEventType>>[] = [];
  for (const event of applied) {
    if (isAppliedOfType(event, ACTIVITY_EVENT_TYPES)) activity.push(event);
    else if (isAppliedOfType(event, CONFIGURATION_EVENT_TYPES)) await applyConfiguration(ctx, event);
  }
  await applyActivity(ctx, activity);
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** The live tables, for the inline apply inside a writing transaction. */
export function liveWriteModel(db: Queryable): ProjectionContext {
  return { query: (text, params) => db.query(text, params), table: quote };
}

function toApplied(
  recorded: DomainRecordedEvent<WriteModelEventType>,
): AppliedEvent<EventOfType<WriteModelEventType>> {
  return {
    eventId: recorded.eventId,
    streamId: recorded.streamId,
    occurredAt: recorded.occurredAt,
    // The recorded event's type and data belong together (DomainRecordedEvent is one member per type).
    event: { type: recorded.type, data: recorded.data } as EventOfType<WriteModelEventType>,
  };
}

export const writeModelProjection = domainProjection({
  name: WRITE_MODEL_PROJECTION,
  handles: WRITE_MODEL_EVENT_TYPES,
  inline: true,
  tables: WRITE_MODEL_TABLES,
  apply: (events, ctx) => applyToWriteModel(ctx, events.map(toApplied)),
});
