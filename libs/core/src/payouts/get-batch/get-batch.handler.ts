import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { PayoutBatchCreatedData } from '@app/domain';
import { Database, notFound } from '@app/platform';
import { GetBatchQuery } from './get-batch.query';

@QueryHandler(GetBatchQuery)
export class GetBatchHandler implements IQueryHandler<GetBatchQuery> {
  constructor(private readonly database: Database) {}

  async execute({ batchId }: GetBatchQuery): Promise<PayoutBatchCreatedData> {
    const { rows } = await this.database.query<{ batch: PayoutBatchCreatedData }>(
      'SELECT batch FROM payout_batches WHERE batch_id = $1',
      [batchId],
    );
    const batch = rows[0]?.batch;
    if (!batch) throw notFound(`No batch ${batchId}`);
    return batch;
  }
}
