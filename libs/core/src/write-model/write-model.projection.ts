/**
 * The write model (the tables that commands decide on) is a projection of the log like the read
 * models, with one difference: it is applied inline, in the transaction that appends the events (the
 * next command, even the next request, decides on it at once), by this same code that rebuilds it
 * from the log and that the audit replays to verify it.
 *
 * Not derived from the log, so not part of it: partner_credentials, API keys, sign-in limits,
 * collateral files, webhook secrets, deliveries and leases.
 */
import { DOMAIN_EVENT_TYPES, type DomainEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Queryable } from '@app/platform';
import type { Projection, ProjectionContext } from '@app/projections';
import { ACTIVITY_TYPES, type AppliedEvent, applyActivity } from './activity-rows';
import { applyConfiguration } from './configuration-rows';

export type { AppliedEvent } from './activity-rows';

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

/** Events that change nothing here (balances are the ledger projection's business). */
const NOT_HANDLED = new Set<string>(['PartnerPaid', 'LedgerAdjusted']);

export const WRITE_MODEL_TYPES: readonly string[] = DOMAIN_EVENT_TYPES.filter((t) => !NOT_HANDLED.has(t));

/**
 * Applies events in log order. The activity tables and the configuration tables are disjoint and
 * neither reads the other, so the activity events go in as one set-based batch after the
 * configuration events have been applied one by one: the same result as one by one throughout.
 */
export async function applyToWriteModel(
  ctx: ProjectionContext,
  applied: readonly AppliedEvent[],
): Promise<void> {
  const activity: AppliedEvent[] = [];
  for (const event of applied) {
    if (ACTIVITY_TYPES.has(event.event.type)) activity.push(event);
    else if (!NOT_HANDLED.has(event.event.type)) await applyConfiguration(ctx, event);
  }
  await applyActivity(ctx, activity);
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** The live tables, for the inline apply inside a writing transaction. */
export function liveWriteModel(db: Queryable): ProjectionContext {
  return { query: (text, params) => db.query(text, params), table: quote };
}

function toApplied(recorded: RecordedEvent): AppliedEvent {
  return {
    eventId: recorded.eventId,
    streamId: recorded.streamId,
    occurredAt: recorded.occurredAt,
    event: { type: recorded.type, data: recorded.data } as unknown as DomainEvent,
  };
}

export const writeModelProjection: Projection = {
  name: WRITE_MODEL_PROJECTION,
  handles: WRITE_MODEL_TYPES,
  inline: true,
  tables: WRITE_MODEL_TABLES,
  async apply(events, ctx) {
    await applyToWriteModel(ctx, events.map(toApplied));
  },
};
