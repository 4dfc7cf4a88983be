import { Query } from '@nestjs/cqrs';

/** The printable ledgers of a batch (a PDF, a page per paid partner); 404 for an unknown batch. */
export class BatchLedgersQuery extends Query<Buffer> {
  constructor(readonly batchId: string) {
    super();
  }
}
