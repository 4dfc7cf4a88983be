import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { unavailable } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { LedgerPdfService } from '../../reports/ledger/ledger-pdf.service';
import { GetBatchQuery } from '../get-batch/get-batch.query';
import { BatchLedgersQuery } from './batch-ledgers.query';

@QueryHandler(BatchLedgersQuery)
export class BatchLedgersHandler implements IQueryHandler<BatchLedgersQuery> {
  constructor(
    private readonly queries: QueryBus,
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly pdfs: LedgerPdfService,
  ) {}

  async execute({ batchId }: BatchLedgersQuery): Promise<Buffer> {
    const batch = await this.queries.execute(new GetBatchQuery(batchId));
    // The pages must show the batch's payments: the ledger includes every event acknowledged so far.
    if (!(await this.runner.waitFor(await this.store.committedHead(), 5_000, ['ledger']))) {
      throw unavailable('The ledger is catching up with recent events; retry shortly', 1);
    }
    return this.pdfs.batchLedgers(batch);
  }
}
