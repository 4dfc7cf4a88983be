import { Query } from '@nestjs/cqrs';
import type { LedgerEntry } from '@app/domain';
import type { AuditLedgerRequest } from './partner-ledger.request';

export type AuditLedgerEntryView = Pick<LedgerEntry, 'entryId' | 'eventId' | 'occurredAt' | 'type'> &
  Pick<
    LedgerEntry,
    'attemptId' | 'productId' | 'commissionId' | 'role' | 'level' | 'batchId' | 'paymentType'
  > & { amount: number; balance: number };

export interface AuditLedgerView {
  partnerId: string;
  from: string;
  to: string;
  asOf: string;
  currency: string;
  beginningBalance: number;
  entries: AuditLedgerEntryView[];
  endingBalance: number;
  checkedEvents: number;
}

/** The partner ledger recomputed from the events recorded up to `asOf` (default now), without read models. */
export class AuditPartnerLedgerQuery extends Query<AuditLedgerView> {
  constructor(
    readonly partnerId: string,
    readonly request: AuditLedgerRequest,
  ) {
    super();
  }
}
