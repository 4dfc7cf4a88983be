import { Query } from '@nestjs/cqrs';
import type { BatchView } from '../batch.views';

/** A batch without its lines, with how many payments and skips it has. */
export type BatchSummary = Omit<BatchView, 'payments' | 'skipped'> & {
  paymentCount: number;
  skippedCount: number;
};

/** Every payout batch, by payment time then id. */
export class ListBatchesQuery extends Query<BatchSummary[]> {}
