import { Query } from '@nestjs/cqrs';
import type { PayoutBatchCreatedData } from '@app/domain';

/** One payout batch as it was created; 404 for an unknown id. */
export class GetBatchQuery extends Query<PayoutBatchCreatedData> {
  constructor(readonly batchId: string) {
    super();
  }
}
