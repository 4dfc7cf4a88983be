/**
 * Reconciliation (domain.md 9, seed 000): per partner, product and local day of the attempt, the
 * attempts with their outcome (activity, credited to the sale partner) next to the commission earned
 * and clawed back on them (ledger, credited to whoever earned it). Declined and pending attempts are
 * what make the activity reports show more than the ledger.
 */
import type { CommissionClawedBackData, CommissionEarnedData } from '@app/domain';
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
import {
  type ReportEvent,
  type Rollup,
  type RollupBuffer,
  applyReportEvents,
} from '../shared/report-projection';

export const RECONCILIATION_TABLES = [
  'reconciliation_state',
  'reconciliation_attempts',
  'reconciliation_daily',
  'reconciliation_periods',
] as const;

/** The counters per partner, product and local day of the attempt (and its month and year). */
export const RECONCILIATION_ROLLUP = {
  daily: 'reconciliation_daily',
  periods: 'reconciliation_periods',
  keys: ['partner_id', 'product_id'],
  counters: [
    'attempts',
    'declined',
    'pending',
    'collected',
    'commission_earned_minor',
    'commission_clawed_back_minor',
  ],
} as const satisfies Rollup;
type DailyColumn = (typeof RECONCILIATION_ROLLUP.counters)[number];

function bumpDaily(
  buffer: RollupBuffer,
  partnerId: string,
  productIds: readonly string[],
  day: string,
  deltas: Partial<Record<DailyColumn, number>>,
): void {
  for (const productId of productIds) buffer.add([partnerId, productId], day, deltas);
}

interface AttemptRow extends ReportAttempt {
  product_ids: string[];
}

const ATTEMPTS: AttemptTable<AttemptRow> = {
  name: 'reconciliation_attempts',
  columns: {
    ...REPORT_ATTEMPT_COLUMNS,
    // Arrays of arrays do not travel as parameters: the product ids go as JSON arrays.
    product_ids: {
      type: 'jsonb',
      encode: (ids) => JSON.stringify(ids),
      store: (ids) => `ARRAY(SELECT jsonb_array_elements_text(${ids}))`,
      updated: false,
    },
  },
};

type Attempts = AttemptRows<AttemptRow>;

/** What reconciliation counts at each step of an attempt: on each product it names. */
function countedSteps(buffer: RollupBuffer): AttemptSteps<AttemptRow> {
  return {
    created: (data) => ({ product_ids: [...new Set(data.items.map((i) => i.productId))] }),
    attributed: (attempt) =>
      bumpDaily(buffer, attempt.partner_id, attempt.product_ids, attempt.day, { attempts: 1, pending: 1 }),
    settled: (attempt, outcome) =>
      bumpDaily(buffer, attempt.partner_id, attempt.product_ids, attempt.day, {
        pending: -1,
        [outcome]: 1,
      }),
  };
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

export const reconciliationProjection = domainProjection({
  name: 'reconciliation',
  handles: [...ATTEMPT_EVENTS, 'CommissionEarned', 'CommissionClawedBack'],
  tables: RECONCILIATION_TABLES,
  async apply(events, ctx) {
    await foldAttemptBatch(ctx, events, ATTEMPTS, RECONCILIATION_ROLLUP, ({ attempts, buffer }) => {
      const steps = countedSteps(buffer);
      return applyReportEvents(ctx, 'reconciliation_state', events, (item) => {
        const { event } = item;
        if (isAttemptStep(event)) foldAttemptStep(attempts, steps, event, item.day);
        else if (event.type === 'CommissionEarned')
          onCommission(attempts, buffer, item, event.data, 'commission_earned_minor');
        else onCommission(attempts, buffer, item, event.data, 'commission_clawed_back_minor');
        return Promise.resolve();
      });
    });
  },
});
