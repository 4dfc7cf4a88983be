import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore, LOG_START, formatPosition, parsePosition } from '@app/event-store';
import { isLocalDay } from '@app/domain';
import { badRequest } from '@app/platform';
import { Roles } from '../auth/roles.decorator';
import { WriteModelQueries } from '../write-model/write-model.queries';
import { AuditLedgerService } from './audit-ledger';
import { AuditEventsQuery, AuditLedgerQuery } from './audit.requests';
import { AuditVerifier } from './audit-verifier';

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly ledgers: AuditLedgerService,
    private readonly verifier: AuditVerifier,
    private readonly queries: WriteModelQueries,
  ) {}

  /** The log in order; follow `next` to see every event exactly once. */
  @Roles('auditor')
  @Get('events')
  async events(@Query() query: AuditEventsQuery) {
    const after = query.after ? parsePosition(query.after) : LOG_START;
    if (!after)
      throw badRequest('Invalid position', [
        { path: 'after', message: 'must be a position returned by this API' },
      ]);
    const page = await this.store.readAll(after, { limit: query.limit ?? 100 });
    return {
      events: page.events.map((e) => ({
        position: formatPosition(e.position),
        streamId: e.streamId,
        streamVersion: e.streamVersion,
        eventId: e.eventId,
        type: e.type,
        occurredAt: e.occurredAt,
        recordedAt: e.recordedAt,
        data: e.data,
        metadata: e.metadata,
      })),
      next: formatPosition(page.next),
    };
  }

  /** The partner ledger recomputed from the events recorded up to `asOf`, without any read model. */
  @Roles('auditor')
  @Get('partners/:partnerId/ledger')
  async ledger(@Param('partnerId') partnerId: string, @Query() query: AuditLedgerQuery) {
    const asOfMs = query.asOf === undefined ? Date.now() : Date.parse(query.asOf);
    // The log starts long after 1970 and the calendar ends at 9999: outside that there is nothing to see.
    if (!(asOfMs >= 0 && asOfMs < Date.parse('9000-01-01T00:00:00Z'))) {
      throw badRequest('asOf is out of range', [{ path: 'asOf', message: 'must be between 1970 and 9000' }]);
    }
    const asOf = new Date(asOfMs).toISOString();
    for (const field of ['from', 'to'] as const) {
      const day = query[field];
      if (day !== undefined && (!isLocalDay(day) || day < '1970-01-01' || day >= '9000-01-01')) {
        throw badRequest('The request is not valid', [
          { path: field, message: 'must be a calendar day between 1970 and 9000' },
        ]);
      }
    }
    if (query.from && query.to && query.from > query.to) {
      throw badRequest('from is after to', [{ path: 'from', message: 'must not be after to' }]);
    }
    const settings = await this.queries.settings();
    const ledger = await this.ledgers.ledger(partnerId, asOf, settings.timezone, query.from, query.to);
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

  /** Replays the log and compares it with the hash chain and every read model. */
  @Roles('auditor')
  @Get('verify')
  async verify() {
    return this.verifier.verify();
  }
}
