import { Query } from '@nestjs/cqrs';
import type { CommissionResponse } from '../attempt.responses';

/** One commission with its explanation; 404 for an unknown id. */
export class GetCommissionQuery extends Query<CommissionResponse> {
  constructor(readonly commissionId: string) {
    super();
  }
}
