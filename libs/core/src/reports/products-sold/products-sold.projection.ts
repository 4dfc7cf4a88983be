/**
 * Products sold (domain.md 9, seed 000): per sale partner, product and local day of the attempt, how
 * many attempts included the product (declined ones too), their quantity, outcomes, the amount
 * collected and the amount refunded. Outcomes and refunds stay on the attempt's own day.
 */
import type {
  AttemptAttributedData,
  PaymentCollectedData,
  PaymentDeclinedData,
  PurchaseAttemptedData,
  PurchaseItem,
  RefundIssuedData,
} from '@app/domain';
import type { Projection, ProjectionContext } from '@app/projections';
import { type ReportEvent, RollupBuffer, applyReportEvents } from '../shared/report-projection';
import { refundSharesMinor } from './refund-split';

export const PRODUCTS_SOLD_TABLES = [
  'products_sold_state',
  'products_sold_attempts',
  'products_sold_daily',
  'products_sold_periods',
] as const;

const DAILY_COLUMNS = [
  'sold',
  'quantity',
  'declined',
  'collected',
  'collected_minor',
  'refunded_minor',
] as const;

/** The batch's counter deltas: written once at the end, with their month and year rows. */
const rollups = () =>
  new RollupBuffer(
    'products_sold_daily',
    'products_sold_periods',
    ['partner_id', 'product_id'],
    DAILY_COLUMNS,
  );

type DailyColumn = (typeof DAILY_COLUMNS)[number];

interface AttemptRow {
  partner_id: string | null;
  day: string;
  items: PurchaseItem[];
  outcome: string;
  refunded_minor: string;
}

const lineTotal = (item: PurchaseItem) => item.unitPriceMinor * item.quantity;

/** Per product, in order of first appearance: the deltas of its lines, added up. */
function perProduct(
  items: readonly PurchaseItem[],
  deltas: (item: PurchaseItem, index: number) => Partial<Record<DailyColumn, number>>,
): Map<string, Partial<Record<DailyColumn, number>>> {
  const products = new Map<string, Partial<Record<DailyColumn, number>>>();
  items.forEach((item, index) => {
    const sum = products.get(item.productId) ?? {};
    for (const [column, delta] of Object.entries(deltas(item, index)) as [DailyColumn, number][]) {
      sum[column] = (sum[column] ?? 0) + delta;
    }
    products.set(item.productId, sum);
  });
  return products;
}

function bumpProducts(
  buffer: RollupBuffer,
  partnerId: string,
  day: string,
  products: Map<string, Partial<Record<DailyColumn, number>>>,
): void {
  for (const [productId, deltas] of products) buffer.add([partnerId, productId], day, deltas);
}

async function loadAttempt(ctx: ProjectionContext, attemptId: string): Promise<AttemptRow | undefined> {
  const { rows } = await ctx.query<AttemptRow>(
    `SELECT partner_id, day::text AS day, items, outcome, refunded_minor::text
       FROM ${ctx.table('products_sold_attempts')} WHERE attempt_id = $1`,
    [attemptId],
  );
  return rows[0];
}

async function onAttempted(ctx: ProjectionContext, { day }: ReportEvent, data: PurchaseAttemptedData) {
  await ctx.query(
    `INSERT INTO ${ctx.table('products_sold_attempts')} (attempt_id, day, items) VALUES ($1, $2, $3)
       ON CONFLICT (attempt_id) DO NOTHING`,
    [data.attemptId, day, JSON.stringify(data.items)],
  );
}

async function onAttributed(ctx: ProjectionContext, buffer: RollupBuffer, data: AttemptAttributedData) {
  if (!data.salePartnerId) return;
  const { rows } = await ctx.query<{ day: string; items: PurchaseItem[] }>(
    `UPDATE ${ctx.table('products_sold_attempts')} SET partner_id = $2
      WHERE attempt_id = $1 AND partner_id IS NULL RETURNING day::text AS day, items`,
    [data.attemptId, data.salePartnerId],
  );
  const attempt = rows[0];
  if (!attempt) return;
  const products = perProduct(attempt.items, (item) => ({ quantity: item.quantity }));
  // `sold` counts attempts: once per product, however many lines name it.
  for (const deltas of products.values()) deltas.sold = 1;
  bumpProducts(buffer, data.salePartnerId, attempt.day, products);
}

async function onOutcome(
  ctx: ProjectionContext,
  buffer: RollupBuffer,
  data: PaymentCollectedData | PaymentDeclinedData,
  outcome: 'collected' | 'declined',
) {
  const { rows } = await ctx.query<{ partner_id: string | null; day: string; items: PurchaseItem[] }>(
    `UPDATE ${ctx.table('products_sold_attempts')} SET outcome = $2
      WHERE attempt_id = $1 AND outcome = 'pending' RETURNING partner_id, day::text AS day, items`,
    [data.attemptId, outcome],
  );
  const attempt = rows[0];
  if (!attempt?.partner_id) return;
  const products = perProduct(attempt.items, (item) =>
    outcome === 'declined' ? {} : { collected_minor: lineTotal(item) },
  );
  for (const deltas of products.values()) deltas[outcome] = 1;
  bumpProducts(buffer, attempt.partner_id, attempt.day, products);
}

async function onRefund(ctx: ProjectionContext, buffer: RollupBuffer, data: RefundIssuedData) {
  const attempt = await loadAttempt(ctx, data.attemptId);
  if (!attempt) return;
  await ctx.query(
    `UPDATE ${ctx.table('products_sold_attempts')} SET refunded_minor = refunded_minor + $2 WHERE attempt_id = $1`,
    [data.attemptId, data.amountMinor],
  );
  if (!attempt.partner_id) return;
  const shares = refundSharesMinor(
    attempt.items.map(lineTotal),
    Number(attempt.refunded_minor),
    data.amountMinor,
  );
  const products = perProduct(attempt.items, (_, index) => ({ refunded_minor: shares[index] ?? 0 }));
  bumpProducts(buffer, attempt.partner_id, attempt.day, products);
}

export const productsSoldProjection: Projection = {
  name: 'products-sold',
  handles: [
    'SettingsChanged',
    'PurchaseAttempted',
    'AttemptAttributed',
    'PaymentCollected',
    'PaymentDeclined',
    'RefundIssued',
  ],
  tables: PRODUCTS_SOLD_TABLES,
  async apply(events, ctx) {
    const buffer = rollups();
    await applyReportEvents(ctx, 'products_sold_state', events, async (item) => {
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
        case 'RefundIssued':
          return onRefund(ctx, buffer, event.data);
        default:
          return;
      }
    });
    await buffer.flush(ctx);
  },
};
