import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { PayoutBatchCreatedData } from '@app/domain';
import { Database } from '@app/platform';
import { batchView } from '../batch.views';
import { type BatchSummary, ListBatchesQuery } from './list-batches.query';

@QueryHandler(ListBatchesQuery)
export class ListBatchesHandler implements IQueryHandler<ListBatchesQuery> {
  constructor(private readonly database: Database) {}

  async execute(): Promise<BatchSummary[]> {
    const { rows } = await this.database.query<{ batch: PayoutBatchCreatedData }>(
      'SELECT batch FROM payout_batches ORDER BY paid_at, batch_id',
    );
    return rows.map((r) => {
      const { payments: _payments, skipped: _skipped, ...summary } = batchView(r.batch);
      return { ...summary, paymentCount: r.batch.payments.length, skippedCount: r.batch.skipped.length };
    });
  }
}
