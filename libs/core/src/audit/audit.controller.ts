import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore, LOG_START, formatPosition, parsePosition } from '@app/event-store';
import { badRequest } from '@app/platform';
import { Roles } from '../auth/roles.decorator';
import { WriteModelQueries } from '../write-model/write-model.queries';
import { AuditLedgerService } from './audit-ledger';
import { AuditEventsQuery, AuditLedgerQuery } from './audit.requests';
import { AuditVerifier } from './audit-verifier';
import { ApiProblems } from '../openapi/api-docs';
import { AuditEventsResponse, AuditLedgerResponse, VerifyResponse } from './audit.responses';

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
  @ApiOperation({
    summary: 'Read the event log in order',
    description:
      'Follow `next`: every event is seen exactly once, also while writes go on. An empty page means nothing readable yet, not the end.',
  })
  @ApiOkResponse({ type: AuditEventsResponse })
  @Roles('auditor')
  @Get('events')
  async events(@Query() query: AuditEventsQuery): Promise<AuditEventsResponse> {
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
  @ApiOperation({
    summary: "A partner's ledger as of an instant, from the log alone",
    description:
      'Recomputed from the events recorded up to `asOf` (default now) with the pure domain code, without read models.',
  })
  @ApiOkResponse({ type: AuditLedgerResponse })
  @ApiProblems({ 404: 'No such partner' })
  @Roles('auditor')
  @Get('partners/:partnerId/ledger')
  async ledger(
    @Param('partnerId') partnerId: string,
    @Query() query: AuditLedgerQuery,
  ): Promise<AuditLedgerResponse> {
    // asOf, from and to are real instants and days of 1970..9999 (the request's validators).
    const asOf = new Date(query.asOf ?? Date.now()).toISOString();
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
  @ApiOperation({
    summary: 'Verify the hash chain and every read model',
    description: 'Replays the log and compares it with the audit chain and each read model, row by row.',
  })
  @ApiOkResponse({ type: VerifyResponse })
  @Roles('auditor')
  @Get('verify')
  async verify(): Promise<VerifyResponse> {
    return this.verifier.verify();
  }
}
