import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../auth/caller';
import type { BatchView } from '../batch.views';
import type { CreateBatchRequest } from './create-batch.request';

export type BatchCreated = BatchView & { position: string };

/** Pays many partners at once, from the ledger report of a range or from the payout schedule. */
export class CreateBatchCommand extends Command<BatchCreated> {
  constructor(
    readonly request: CreateBatchRequest,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
