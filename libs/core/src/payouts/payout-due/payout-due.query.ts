import { Query } from '@nestjs/cqrs';
import type { DueReport } from './payout-schedule';

/** Who is due what on a pay date, once the ledger includes every event acknowledged before the request. */
export class PayoutDueQuery extends Query<DueReport> {
  constructor(
    readonly payDate: string,
    /** A position answered by a write, waited for like the committed head. */
    readonly waitFor: string | undefined,
  ) {
    super();
  }
}
