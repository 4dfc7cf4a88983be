/**
 * Pays many partners at once over the ledger report of a range (or the payout schedule), with one
 * method for all. Batches are made one at a time, and only once the ledger includes every event
 * acknowledged before the request, so no earning is missed and no payment counted twice.
 */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import {
  type PayoutBatchCreatedData,
  type ReportPayoutMethod,
  cutoffFor,
  defaultBatchId,
  domainEvent,
  localDayOf,
  payoutAmount,
  planPayoutBatch,
} from '@app/domain';
import { ConcurrencyError, EVENT_STORE, type EventStore, type LogPosition } from '@app/event-store';
import { Database, type Transaction, badRequest, conflict, unavailable } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { actorOf } from '../../auth/caller';
import { holdSettlementCurrency } from '../../configuration/settlement-currency';
import { LedgerReportQuery } from '../../reports/ledger/ledger.query';
import { LedgerReportRequest } from '../../reports/ledger/ledger.request';
import { type CommandMetadata, EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { batchView } from '../batch.views';
import { PayoutSchedule } from '../payout-due/payout-schedule';
import { batchStream } from '../payout-streams';
import { type BatchCreated, CreateBatchCommand } from './create-batch.command';
import type { CreateBatchRequest } from './create-batch.request';

const LEDGER_CATCH_UP_MS = 30_000;

@CommandHandler(CreateBatchCommand)
export class CreateBatchHandler implements ICommandHandler<CreateBatchCommand> {
  constructor(
    private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly writer: EventWriter,
    private readonly queries: WriteModelQueries,
    private readonly queryBus: QueryBus,
    private readonly schedule: PayoutSchedule,
  ) {}

  /**
   * Requests of this process queue here, holding no connection, so that parallel batches never take
   * the pool's connections only to wait on the batch lock; the advisory lock orders processes.
   */
  private queue: Promise<unknown> = Promise.resolve();

  async execute({ request, caller }: CreateBatchCommand): Promise<BatchCreated> {
    const { position, ...batch } = await this.create(request, { actor: actorOf(caller) });
    return { ...batchView(batch), position };
  }

  private async create(
    request: CreateBatchRequest,
    meta: CommandMetadata,
  ): Promise<PayoutBatchCreatedData & { position: string }> {
    if (request.from && request.to && request.from > request.to) {
      throw badRequest('The request is not valid', [{ path: 'to', message: 'must not be before from' }]);
    }
    const head = await this.store.committedHead();
    const run = this.queue.then(
      () => this.createNow(request, meta, head),
      () => this.createNow(request, meta, head),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * One batch, on one connection: every read (settings, checkpoints, the ledger) goes through the
   * transaction, so a request never holds a connection while it waits for a second one.
   */
  private async createNow(
    request: CreateBatchRequest,
    meta: CommandMetadata,
    head: LogPosition,
  ): Promise<PayoutBatchCreatedData & { position: string }> {
    let batchId = request.batchId;
    try {
      return await this.database.transaction(async (tx) => {
        // One batch at a time: the next one sees this one's payments in the ledger before it computes.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('payout-batches'))`);
        // Payments are recorded in the settlement currency read here: it cannot change until the commit.
        await holdSettlementCurrency(tx);
        const settings = await this.queries.settings(tx);
        const paidAt = new Date(request.paidAt ?? Date.now()).toISOString();
        batchId = request.batchId ?? defaultBatchId(localDayOf(paidAt, settings.timezone));
        const used = await tx.query('SELECT 1 FROM payout_batches WHERE batch_id = $1', [batchId]);
        if (used.rowCount) throw conflict(`Batch id ${batchId} was already used`, 'batch-id-used');
        const now = await this.store.committedHead(tx);
        const target = now.sequence > head.sequence ? now : head;
        if (!(await this.runner.waitFor(target, LEDGER_CATCH_UP_MS, ['ledger'], tx))) {
          throw unavailable('The ledger is catching up with recent events; retry shortly', 2);
        }
        const candidates = await this.candidates(request, tx);
        const { batch, payments } = planPayoutBatch({
          batchId,
          method: request.method,
          from: request.method === 'due' ? null : (request.from ?? null),
          to: request.method === 'due' ? null : (request.to ?? null),
          payDate: request.payDate ?? null,
          cutoff: request.payDate
            ? cutoffFor(request.payDate, settings.payoutSchedule.cutoffDay, settings.timezone)
            : null,
          paidAt,
          paymentType: request.paymentType,
          minimumAmountMinor:
            request.minimumAmount ?? (request.method === 'due' ? settings.payoutSchedule.minimumBalance : 0),
          currency: settings.currency,
          candidates,
        });
        const stream = batchStream(batchId);
        const written = await this.writer.write(
          [
            {
              streamId: stream,
              expectedVersion: 'no-stream',
              events: [
                { eventId: stream, event: domainEvent('PayoutBatchCreated', batch), occurredAt: paidAt },
                ...payments.map((payment) => ({
                  eventId: `${stream}/payment/${payment.partnerId}`,
                  event: domainEvent('PartnerPaid', payment),
                  occurredAt: paidAt,
                })),
              ],
            },
          ],
          meta,
          tx,
        );
        return { ...batch, position: written.position };
      });
    } catch (error) {
      if (error instanceof ConcurrencyError)
        throw conflict(`Batch id ${batchId ?? ''} was already used`, 'batch-id-used');
      throw error;
    }
  }

  private async candidates(
    request: CreateBatchRequest,
    tx: Transaction,
  ): Promise<{ partnerId: string; amountMinor: number }[]> {
    const wanted = request.partnerIds ? new Set(request.partnerIds) : null;
    if (request.method === 'due') {
      const due = await this.schedule.due(
        requiredForMethod(request, 'payDate'),
        {
          ...(request.partnerIds ? { partnerIds: request.partnerIds } : {}),
          ...(request.programId ? { programId: request.programId } : {}),
        },
        tx,
      );
      return due.rows.map((row) => ({ partnerId: row.partnerId, amountMinor: row.due }));
    }
    const method: ReportPayoutMethod = request.method;
    const ledgerRequest = Object.assign(new LedgerReportRequest(), {
      from: requiredForMethod(request, 'from'),
      to: requiredForMethod(request, 'to'),
      ...(request.programId ? { programId: request.programId } : {}),
    });
    const report = await this.queryBus.execute(new LedgerReportQuery(ledgerRequest, tx));
    const candidates = report.rows
      .filter((row) => !wanted || wanted.has(row.partnerId))
      .map((row) => ({ partnerId: row.partnerId, amountMinor: payoutAmount(method, row) }));
    // A partner named in the request but without ledger activity is listed as skipped (zero), not dropped.
    if (wanted) {
      const listed = new Set(candidates.map((c) => c.partnerId));
      const missing = [...wanted].filter((id) => !listed.has(id));
      for (const id of (await this.queries.partnersByIds(missing, tx)).keys())
        candidates.push({ partnerId: id, amountMinor: 0 });
    }
    return candidates;
  }
}

/** A field that CreateBatchRequest's validators require for the request's method. */
function requiredForMethod(request: CreateBatchRequest, field: 'from' | 'to' | 'payDate'): string {
  const value = request[field];
  if (value === undefined)
    throw new Error(`a ${request.method} batch request passed validation without ${field}`);
  return value;
}
