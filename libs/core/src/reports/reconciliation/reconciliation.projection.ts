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
  PurchaseAttemptedData,
} from '@app/domain';
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

async function onAttempted(ctx: ProjectionContext, { day }: ReportEvent, data: PurchaseAttemptedData) {
  const productIds = [...new Set(data.items.map((item) => item.productId))];
  await ctx.query(
    `INSERT INTO ${ctx.table('reconciliation_attempts')} (attempt_id, day, product_ids) VALUES ($1, $2, $3)
       ON CONFLICT (attempt_id) DO NOTHING`,
    [data.attemptId, day, productIds],
  );
}

async function onAttributed(ctx: ProjectionContext, buffer: RollupBuffer, data: AttemptAttributedData) {
  if (!data.salePartnerId) return;
  const { rows } = await ctx.query<{ day: string; product_ids: string[]; outcome: string }>(
    `UPDATE ${ctx.table('reconciliation_attempts')} SET partner_id = $2
      WHERE attempt_id = $1 AND partner_id IS NULL RETURNING day::text AS day, product_ids, outcome`,
    [data.attemptId, data.salePartnerId],
  );
  const attempt = rows[0];
  if (!attempt) return;
  bumpDaily(buffer, data.salePartnerId, attempt.product_ids, attempt.day, { attempts: 1, pending: 1 });
}

async function onOutcome(
  ctx: ProjectionContext,
  buffer: RollupBuffer,
  data: PaymentCollectedData | PaymentDeclinedData,
  outcome: 'collected' | 'declined',
) {
  const { rows } = await ctx.query<{ partner_id: string | null; day: string; product_ids: string[] }>(
    `UPDATE ${ctx.table('reconciliation_attempts')} SET outcome = $2
      WHERE attempt_id = $1 AND outcome = 'pending' RETURNING partner_id, day::text AS day, product_ids`,
    [data.attemptId, outcome],
  );
  const attempt = rows[0];
  if (!attempt?.partner_id) return;
  bumpDaily(buffer, attempt.partner_id, attempt.product_ids, attempt.day, { pending: -1, [outcome]: 1 });
}

/** Commission rows go on the day of the attempt they came from, like the attempt's outcome. */
async function onCommission(
  ctx: ProjectionContext,
  buffer: RollupBuffer,
  { day }: ReportEvent,
  data: CommissionEarnedData | CommissionClawedBackData,
  column: 'commission_earned_minor' | 'commission_clawed_back_minor',
) {
  const { rows } = await ctx.query<{ day: string }>(
    `SELECT day::text AS day FROM ${ctx.table('reconciliation_attempts')} WHERE attempt_id = $1`,
    [data.attemptId],
  );
  bumpDaily(buffer, data.partnerId, [data.productId], rows[0]?.day ?? day, { [column]: data.amountMinor });
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
    const buffer = rollups();
    await applyReportEvents(ctx, 'reconciliation_state', events, async (item) => {
      const { event } = item;
      switch (event.type) {
        case 'PurchaseAttempted':
          return onAttempted(ctx, item, event.data);
        case 'AttemptAttributed':
          return onAttributed(ctx, buffer, event.data);
        case 'PaymentCollected':
          return onOutcome(ctx, buffer, event.data, 'collected');
        case 'PaymentDeclined':
          return onOutcome(ctx, buffer, event.data, 'declined');
        case 'CommissionEarned':
          return onCommission(ctx, buffer, item, event.data, 'commission_earned_minor');
        case 'CommissionClawedBack':
          return onCommission(ctx, buffer, item, event.data, 'commission_clawed_back_minor');
        default:
          return;
      }
    });
    await buffer.flush(ctx);
  },
};
