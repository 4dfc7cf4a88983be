import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { badRequest } from '@app/platform';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { AuditLedgerService } from '../audit-ledger';
import { type AuditLedgerView, AuditPartnerLedgerQuery } from './partner-ledger.query';

@QueryHandler(AuditPartnerLedgerQuery)
export class AuditPartnerLedgerHandler implements IQueryHandler<AuditPartnerLedgerQuery> {
  constructor(
    private readonly ledgers: AuditLedgerService,
    private readonly queries: WriteModelQueries,
  ) {}

  async execute({ partnerId, request }: AuditPartnerLedgerQuery): Promise<AuditLedgerView> {
    // asOf, from and to are real instants and days of 1970..9999 (the request's validators).
    const asOf = new Date(request.asOf ?? Date.now()).toISOString();
    if (request.from && request.to && request.from > request.to) {
      throw badRequest('from is after to', [{ path: 'from', message: 'must not be after to' }]);
    }
    const settings = await this.queries.settings();
    const ledger = await this.ledgers.ledger(partnerId, asOf, settings.timezone, request.from, request.to);
    return {
      partnerId,
      from: ledger.from,
      to: ledger.to,
      asOf,
      currency: settings.currency,
      beginningBalance: ledger.beginningBalance,
      entries: ledger.entries.map((e) => ({
        entryId: e.entryId,
        eventId: e.eventId,
        occurredAt: e.occurredAt,
        type: e.type,
        amount: e.amountMinor,
        balance: e.balanceMinor,
        ...(e.attemptId ? { attemptId: e.attemptId } : {}),
        ...(e.productId ? { productId: e.productId } : {}),
        ...(e.commissionId ? { commissionId: e.commissionId } : {}),
        ...(e.role ? { role: e.role } : {}),
        ...(e.level ? { level: e.level } : {}),
        ...(e.batchId ? { batchId: e.batchId } : {}),
        ...(e.paymentType ? { paymentType: e.paymentType } : {}),
      })),
      endingBalance: ledger.endingBalance,
      checkedEvents: ledger.checkedEvents,
    };
  }
}
