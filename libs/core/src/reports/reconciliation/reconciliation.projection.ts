/**
 * Reconciliation (domain.md 9, seed 000): per partner, product and local day of the attempt, the
 * attempts with their outcome (activity, credited to the sale partner) next to the commission earned
 * and clawed back on them (ledger, credited to whoever earned it). Declined and pending attempts are
 * what make the activity reports show more than the ledger.
 */
import type {
  AttemptAttributedData,
  CommissionClawedBackData,
  CommissionEarnedData,
  PaymentCollectedData,
  PaymentDeclinedData,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { type ReportEvent, RollupBuffer, applyReportEvents } from '../shared/report-projection';

export const RECONCILIATION_TABLES = [
  'reconciliation_state',
  'reconciliation_attempts',
  'reconciliation_daily',
  'reconciliation_periods',
] as const;

const DAILY_COLUMNS = [
  'attempts',
  'declined',
  'pending',
  'collected',
  'commission_earned_minor',
  'commission_clawed_back_minor',
] as const;
type DailyColumn = (typeof DAILY_COLUMNS)[number];

/** The batch's counter deltas: written once at the end, with their month and year rows. */
const rollups = () =>
  new RollupBuffer(
    'reconciliation_daily',
    'reconciliation_periods',
    ['partner_id', 'product_id'],
    DAILY_COLUMNS,
  );

function bumpDaily(
  buffer: RollupBuffer,
  partnerId: string,
  productIds: readonly string[],
  day: string,
  deltas: Partial<Record<DailyColumn, number>>,
): void {
  for (const productId of productIds) buffer.add([partnerId, productId], day, deltas);
}

interface AttemptRow {
  day: string;
  partner_id: string | null;
  product_ids: string[];
  outcome: string;
  changed: boolean;
}

/**
 * The attempts a batch touches, loaded with one query and written back with one: events are folded
 * in memory in log order, exactly as one statement per event would have changed the rows.
 */
class Attempts {
  private readonly rows = new Map<string, AttemptRow>();

  static async load(ctx: ProjectionContext, events: readonly RecordedEvent[]): Promise<Attempts> {
    const ids = [
      ...new Set(
        events.flatMap((e) => {
          const id = (e.data as { attemptId?: unknown }).attemptId;
          return typeof id === 'string' ? [id] : [];
        }),
      ),
    ];
    const attempts = new Attempts();
    if (ids.length === 0) return attempts;
    const { rows } = await ctx.query<Omit<AttemptRow, 'changed'> & { attempt_id: string }>(
      `SELECT attempt_id, day::text AS day, partner_id, product_ids, outcome
         FROM ${ctx.table('reconciliation_attempts')} WHERE attempt_id = ANY($1)`,
      [ids],
    );
    for (const { attempt_id, ...row } of rows) attempts.rows.set(attempt_id, { ...row, changed: false });
    return attempts;
  }

  get(attemptId: string): AttemptRow | undefined {
    return this.rows.get(attemptId);
  }

  create(attemptId: string, day: string, productIds: string[]): void {
    if (this.rows.has(attemptId)) return; // the first one wins, like ON CONFLICT DO NOTHING
    this.rows.set(attemptId, {
      day,
      partner_id: null,
      product_ids: productIds,
      outcome: 'pending',
      changed: true,
    });
  }

  async save(ctx: ProjectionContext): Promise<void> {
    const changed = [...this.rows].filter(([, row]) => row.changed);
    if (changed.length === 0) return;
    // Arrays of arrays do not travel as parameters: the product ids go as JSON arrays.
    await ctx.query(
      `INSERT INTO ${ctx.table('reconciliation_attempts')} AS t (attempt_id, day, partner_id, product_ids, outcome)
       SELECT a, d, p, ARRAY(SELECT jsonb_array_elements_text(ids)), o
         FROM unnest($1::text[], $2::date[], $3::text[], $4::jsonb[], $5::text[]) AS u (a, d, p, ids, o)
       ON CONFLICT (attempt_id) DO UPDATE SET partner_id = EXCLUDED.partner_id, outcome = EXCLUDED.outcome`,
      [
        changed.map(([id]) => id),
        changed.map(([, r]) => r.day),
        changed.map(([, r]) => r.partner_id),
        changed.map(([, r]) => JSON.stringify(r.product_ids)),
        changed.map(([, r]) => r.outcome),
      ],
    );
  }
}

function onAttributed(attempts: Attempts, buffer: RollupBuffer, data: AttemptAttributedData): void {
  if (!data.salePartnerId) return;
  const attempt = attempts.get(data.attemptId);
  if (!attempt || attempt.partner_id !== null) return;
  attempt.partner_id = data.salePartnerId;
  attempt.changed = true;
  bumpDaily(buffer, data.salePartnerId, attempt.product_ids, attempt.day, { attempts: 1, pending: 1 });
}

function onOutcome(
  attempts: Attempts,
  buffer: RollupBuffer,
  data: PaymentCollectedData | PaymentDeclinedData,
  outcome: 'collected' | 'declined',
): void {
  const attempt = attempts.get(data.attemptId);
  if (!attempt || attempt.outcome !== 'pending') return;
  attempt.outcome = outcome;
  attempt.changed = true;
  if (!attempt.partner_id) return;
  bumpDaily(buffer, attempt.partner_id, attempt.product_ids, attempt.day, { pending: -1, [outcome]: 1 });
}

/** Commission rows go on the day of the attempt they came from, like the attempt's outcome. */
function onCommission(
  attempts: Attempts,
  buffer: RollupBuffer,
  { day }: ReportEvent,
  data: CommissionEarnedData | CommissionClawedBackData,
  column: 'commission_earned_minor' | 'commission_clawed_back_minor',
): void {
  const attemptDay = attempts.get(data.attemptId)?.day ?? day;
  bumpDaily(buffer, data.partnerId, [data.productId], attemptDay, { [column]: data.amountMinor });
}

export const reconciliationProjection: Projection = {
  name: 'reconciliation',
  handles: [
    'SettingsChanged',
    'PurchaseAttempted',
    'AttemptAttributed',
    'PaymentCollected',
    'PaymentDeclined',
    'CommissionEarned',
    'CommissionClawedBack',
  ],
  tables: RECONCILIATION_TABLES,
  async apply(events, ctx) {
    // Set-based: one read of the batch's attempts, the fold in memory, one write per table.
    const buffer = rollups();
    const attempts = await Attempts.load(ctx, events);
    await applyReportEvents(ctx, 'reconciliation_state', events, (item) => {
      const { event } = item;
      switch (event.type) {
        case 'PurchaseAttempted':
          attempts.create(event.data.attemptId, item.day, [
            ...new Set(event.data.items.map((i) => i.productId)),
          ]);
          break;
        case 'AttemptAttributed':
          onAttributed(attempts, buffer, event.data);
          break;
        case 'PaymentCollected':
          onOutcome(attempts, buffer, event.data, 'collected');
          break;
        case 'PaymentDeclined':
          onOutcome(attempts, buffer, event.data, 'declined');
          break;
        case 'CommissionEarned':
          onCommission(attempts, buffer, item, event.data, 'commission_earned_minor');
          break;
        case 'CommissionClawedBack':
          onCommission(attempts, buffer, item, event.data, 'commission_clawed_back_minor');
          break;
        default:
          break;
      }
      return Promise.resolve();
    });
    await attempts.save(ctx);
    await buffer.flush(ctx);
  },
};
