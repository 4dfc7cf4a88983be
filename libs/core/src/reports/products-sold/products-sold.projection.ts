/**
 * Products sold (domain.md 9, seed 000): per sale partner, product and local day of the attempt, how
 * many attempts included the product (declined ones too), their quantity, outcomes, the amount
 * collected and the amount refunded. Outcomes and refunds stay on the attempt's own day.
 */
import type { PurchaseItem, RefundIssuedData } from '@app/domain';
import { domainProjection } from '../../infrastructure/domain-projection';
import type { AttemptRows, AttemptTable } from '../shared/attempt-rows';
import {
  ATTEMPT_EVENTS,
  REPORT_ATTEMPT_COLUMNS,
  type AttemptSteps,
  type ReportAttempt,
  foldAttemptBatch,
  foldAttemptStep,
  isAttemptStep,
} from '../shared/attempt-report';
import { type Rollup, type RollupBuffer, applyReportEvents } from '../shared/report-projection';
import { refundSharesMinor } from './refund-split';

export const PRODUCTS_SOLD_TABLES = [
  'products_sold_state',
  'products_sold_attempts',
  'products_sold_daily',
  'products_sold_periods',
] as const;

/** The counters per sale partner, product and local day of the attempt (and its month and year). */
export const PRODUCTS_SOLD_ROLLUP = {
  daily: 'products_sold_daily',
  periods: 'products_sold_periods',
  keys: ['partner_id', 'product_id'],
  counters: ['sold', 'quantity', 'declined', 'collected', 'collected_minor', 'refunded_minor'],
} as const satisfies Rollup;

type DailyColumn = (typeof PRODUCTS_SOLD_ROLLUP.counters)[number];

interface AttemptRow extends ReportAttempt {
  items: PurchaseItem[];
  refunded_minor: string;
}

const ATTEMPTS: AttemptTable<AttemptRow> = {
  name: 'products_sold_attempts',
  columns: {
    ...REPORT_ATTEMPT_COLUMNS,
    items: { type: 'jsonb', encode: (items) => JSON.stringify(items), updated: false },
    refunded_minor: { type: 'bigint', read: 'refunded_minor::text AS refunded_minor', updated: true },
  },
};

type Attempts = AttemptRows<AttemptRow>;

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

/** What products sold counts at each step of an attempt: per product of its lines. */
function countedSteps(buffer: RollupBuffer): AttemptSteps<AttemptRow> {
  return {
    created: (data) => ({ items: data.items, refunded_minor: '0' }),
    attributed: (attempt) => {
      const products = perProduct(attempt.items, (item) => ({ quantity: item.quantity }));
      // `sold` counts attempts: once per product, however many lines name it.
      for (const deltas of products.values()) deltas.sold = 1;
      bumpProducts(buffer, attempt.partner_id, attempt.day, products);
    },
    settled: (attempt, outcome) => {
      const products = perProduct(attempt.items, (item) =>
        outcome === 'declined' ? {} : { collected_minor: lineTotal(item) },
      );
      for (const deltas of products.values()) deltas[outcome] = 1;
      bumpProducts(buffer, attempt.partner_id, attempt.day, products);
    },
  };
}

function onRefund(attempts: Attempts, buffer: RollupBuffer, data: RefundIssuedData): void {
  const attempt = attempts.get(data.attemptId);
  if (!attempt) return;
  const before = Number(attempt.refunded_minor);
  attempts.update(data.attemptId, { refunded_minor: String(before + data.amountMinor) });
  if (!attempt.partner_id) return;
  const shares = refundSharesMinor(attempt.items.map(lineTotal), before, data.amountMinor);
  const products = perProduct(attempt.items, (_, index) => ({ refunded_minor: shares[index] ?? 0 }));
  bumpProducts(buffer, attempt.partner_id, attempt.day, products);
}

export const productsSoldProjection = domainProjection({
  name: 'products-sold',
  handles: [...ATTEMPT_EVENTS, 'RefundIssued'],
  tables: PRODUCTS_SOLD_TABLES,
  async apply(events, ctx) {
    await foldAttemptBatch(ctx, events, ATTEMPTS, PRODUCTS_SOLD_ROLLUP, ({ attempts, buffer }) => {
      const steps = countedSteps(buffer);
      return applyReportEvents(ctx, 'products_sold_state', events, ({ event, day }) => {
        if (isAttemptStep(event)) foldAttemptStep(attempts, steps, event, day);
        else onRefund(attempts, buffer, event.data);
        return Promise.resolve();
      });
    });
  },
});
