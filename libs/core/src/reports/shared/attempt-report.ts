/**
 * What link-stats, products-sold and reconciliation share: a batch folded over the report's attempts
 * table and counter rollup, and the steps of an attempt they all count (created, attributed, settled).
 */
import type {
  AttemptAttributedData,
  DomainEventType,
  PaymentCollectedData,
  PaymentDeclinedData,
  PurchaseAttemptedData,
} from '@app/domain';
import type { DomainRecordedEvent } from '../../infrastructure/domain-projection';
import type { ProjectionContext } from '@app/projections';
import { type AttemptTable, AttemptRows, attemptIdsOf } from './attempt-rows';
import { type Rollup, RollupBuffer } from './report-projection';

/** The events every attempts report folds (SettingsChanged: the timezone that dates an attempt). */
export const ATTEMPT_EVENTS = [
  'SettingsChanged',
  'PurchaseAttempted',
  'AttemptAttributed',
  'PaymentCollected',
  'PaymentDeclined',
] as const;

/**
 * The columns every report attempt has: the local day it is counted on, the sale partner it counts
 * for (null until attributed) and its outcome ('pending' until the first one).
 */
export interface ReportAttempt {
  day: string;
  partner_id: string | null;
  outcome: string;
}

export const REPORT_ATTEMPT_COLUMNS: AttemptTable<ReportAttempt>['columns'] = {
  day: { type: 'date', read: 'day::text AS day', updated: false },
  partner_id: { type: 'text', updated: true },
  outcome: { type: 'text', updated: true },
};

/** An attempt that counts for its sale partner. */
export type AttributedAttempt<Row> = Readonly<Row> & { readonly partner_id: string };

interface AttemptBatch<Row extends object> {
  readonly attempts: AttemptRows<Row>;
  /** The batch's counter deltas: written once at the end, with their month and year rows. */
  readonly buffer: RollupBuffer;
}

/**
 * Set-based: one read of the batch's attempts, the fold in memory, then one write of the attempts
 * and one per rollup table (nothing reads them in between).
 */
export async function foldAttemptBatch<Row extends object>(
  ctx: ProjectionContext,
  events: readonly { readonly data: object }[],
  table: AttemptTable<Row>,
  rollup: Rollup,
  fold: (batch: AttemptBatch<Row>) => Promise<void>,
): Promise<void> {
  const buffer = new RollupBuffer(rollup);
  const attempts = await AttemptRows.load(ctx, table, attemptIdsOf(events));
  await fold({ attempts, buffer });
  await attempts.save(ctx);
  await buffer.flush(ctx);
}

/**
 * Gives a known attempt not attributed yet its sale partner (and `changes`): the attempt, now counting
 * for that partner, or undefined when there is nothing to count.
 */
function attributeAttempt<Row extends ReportAttempt>(
  attempts: AttemptRows<Row>,
  data: AttemptAttributedData,
  changes: Partial<Row> = {},
): AttributedAttempt<Row> | undefined {
  const partnerId = data.salePartnerId;
  if (!partnerId) return undefined;
  const attempt = attempts.get(data.attemptId);
  if (!attempt || attempt.partner_id !== null) return undefined;
  attempts.update(data.attemptId, { ...changes, partner_id: partnerId });
  return { ...attempt, partner_id: partnerId };
}

/**
 * Records the outcome of a pending attempt (the first outcome wins): the attempt when it counts for a
 * sale partner, else undefined.
 */
function settleAttempt<Row extends ReportAttempt>(
  attempts: AttemptRows<Row>,
  attemptId: string,
  outcome: 'collected' | 'declined',
): AttributedAttempt<Row> | undefined {
  const attempt = attempts.get(attemptId);
  if (!attempt || attempt.outcome !== 'pending') return undefined;
  const partnerId = attempt.partner_id;
  attempts.update(attemptId, { outcome } as Partial<Row>);
  return partnerId ? { ...attempt, partner_id: partnerId } : undefined;
}

type AttemptEventType = (typeof ATTEMPT_EVENTS)[number];

/** What a report counts at each step of an attempt, for the attempt's sale partner. */
export interface AttemptSteps<Row extends ReportAttempt> {
  /** The report's own columns of a new attempt. */
  readonly created: (data: PurchaseAttemptedData) => Omit<Row, keyof ReportAttempt>;
  /** The report's own columns set with the sale partner (e.g. the deciding link). */
  readonly attributing?: (data: AttemptAttributedData) => Partial<Row>;
  readonly attributed: (attempt: AttributedAttempt<Row>) => void;
  readonly settled: (
    attempt: AttributedAttempt<Row>,
    outcome: 'collected' | 'declined',
    data: PaymentCollectedData | PaymentDeclinedData,
  ) => void;
}

export function isAttemptStep<T extends DomainEventType>(
  event: DomainRecordedEvent<T>,
): event is DomainRecordedEvent<T & AttemptEventType> {
  return (ATTEMPT_EVENTS as readonly string[]).includes(event.type);
}

/** Folds one step of an attempt into `attempts`, counting it through `steps`. */
export function foldAttemptStep<Row extends ReportAttempt>(
  attempts: AttemptRows<Row>,
  steps: AttemptSteps<Row>,
  event: DomainRecordedEvent<AttemptEventType>,
  day: string,
): void {
  switch (event.type) {
    case 'PurchaseAttempted': {
      const shared: ReportAttempt = { day, partner_id: null, outcome: 'pending' };
      attempts.create(event.data.attemptId, { ...steps.created(event.data), ...shared } as Row);
      return;
    }
    case 'AttemptAttributed': {
      const attempt = attributeAttempt(attempts, event.data, steps.attributing?.(event.data));
      if (attempt) steps.attributed(attempt);
      return;
    }
    case 'PaymentCollected':
    case 'PaymentDeclined': {
      const outcome = event.type === 'PaymentCollected' ? 'collected' : 'declined';
      const attempt = settleAttempt(attempts, event.data.attemptId, outcome);
      if (attempt) steps.settled(attempt, outcome, event.data);
      return;
    }
    case 'SettingsChanged':
      return; // applyReportEvents keeps the settings
  }
}
