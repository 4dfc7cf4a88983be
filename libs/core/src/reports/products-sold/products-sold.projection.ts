/**
 * Products sold (domain.md 9, seed 000): per sale partner, product and local day of the attempt, how
 * many attempts included the product (declined ones too), their quantity, outcomes, the amount
 * collected and the amount refunded. Outcomes and refunds stay on the attempt's own day.
 */
import type {
  AttemptAttributedData,
  PaymentCollectedData,
  PaymentDeclinedData,
  PurchaseItem,
  RefundIssuedData,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { RollupBuffer, applyReportEvents } from '../shared/report-projection';
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

/**
 * The attempts a batch touches, loaded with one query and written back with one: events are folded
 * in memory in log order, exactly as one statement per event would have changed the rows.
 */
class Attempts {
  private readonly rows = new Map<string, AttemptRow & { changed: boolean }>();

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
    const { rows } = await ctx.query<AttemptRow & { attempt_id: string }>(
      `SELECT attempt_id, partner_id, day::text AS day, items, outcome, refunded_minor::text
         FROM ${ctx.table('products_sold_attempts')} WHERE attempt_id = ANY($1)`,
      [ids],
    );
    for (const { attempt_id, ...row } of rows) attempts.rows.set(attempt_id, { ...row, changed: false });
    return attempts;
  }

  get(attemptId: string): (AttemptRow & { changed: boolean }) | undefined {
    return this.rows.get(attemptId);
  }

  create(attemptId: string, day: string, items: PurchaseItem[]): void {
    if (this.rows.has(attemptId)) return; // the first one wins, like ON CONFLICT DO NOTHING
    this.rows.set(attemptId, {
      partner_id: null,
      day,
      items,
      outcome: 'pending',
      refunded_minor: '0',
      changed: true,
    });
  }

  async save(ctx: ProjectionContext): Promise<void> {
    const changed = [...this.rows].filter(([, row]) => row.changed);
    if (changed.length === 0) return;
    await ctx.query(
      `INSERT INTO ${ctx.table('products_sold_attempts')} AS t (attempt_id, day, partner_id, items, outcome, refunded_minor)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::jsonb[], $5::text[], $6::bigint[])
       ON CONFLICT (attempt_id) DO UPDATE
         SET partner_id = EXCLUDED.partner_id, outcome = EXCLUDED.outcome, refunded_minor = EXCLUDED.refunded_minor`,
      [
        changed.map(([id]) => id),
        changed.map(([, r]) => r.day),
        changed.map(([, r]) => r.partner_id),
        changed.map(([, r]) => JSON.stringify(r.items)),
        changed.map(([, r]) => r.outcome),
        changed.map(([, r]) => r.refunded_minor),
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
  const products = perProduct(attempt.items, (item) => ({ quantity: item.quantity }));
  // `sold` counts attempts: once per product, however many lines name it.
  for (const deltas of products.values()) deltas.sold = 1;
  bumpProducts(buffer, data.salePartnerId, attempt.day, products);
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
  const products = perProduct(attempt.items, (item) =>
    outcome === 'declined' ? {} : { collected_minor: lineTotal(item) },
  );
  for (const deltas of products.values()) deltas[outcome] = 1;
  bumpProducts(buffer, attempt.partner_id, attempt.day, products);
}

function onRefund(attempts: Attempts, buffer: RollupBuffer, data: RefundIssuedData): void {
  const attempt = attempts.get(data.attemptId);
  if (!attempt) return;
  const before = Number(attempt.refunded_minor);
  attempt.refunded_minor = String(before + data.amountMinor);
  attempt.changed = true;
  if (!attempt.partner_id) return;
  const shares = refundSharesMinor(attempt.items.map(lineTotal), before, data.amountMinor);
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
    // Set-based: one read of the batch's attempts, the fold in memory, one write per table.
    const buffer = rollups();
    const attempts = await Attempts.load(ctx, events);
    await applyReportEvents(ctx, 'products_sold_state', events, (item) => {
      const { event } = item;
      switch (event.type) {
        case 'PurchaseAttempted':
          attempts.create(event.data.attemptId, item.day, event.data.items);
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
        case 'RefundIssued':
          onRefund(attempts, buffer, event.data);
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
