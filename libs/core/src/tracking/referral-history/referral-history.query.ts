import { Query } from '@nestjs/cqrs';
import type { ReferralHistoryResponse } from './referral-history.responses';

/** A contact's clicks and referral records, oldest first; empty lists for an unknown contact. */
export class ReferralHistoryQuery extends Query<ReferralHistoryResponse> {
  constructor(readonly contactId: string) {
    super();
  }
}
