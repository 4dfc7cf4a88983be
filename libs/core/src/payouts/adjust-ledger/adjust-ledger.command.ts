import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../auth/caller';
import type { AdjustLedgerRequest } from './adjust-ledger.request';

export interface LedgerAdjusted {
  id: string;
  partnerId: string;
  amount: number;
  currency: string;
  reason: string;
  occurredAt: string;
  position: string;
}

/** A signed correction of a partner's ledger, with its reason. */
export class AdjustLedgerCommand extends Command<LedgerAdjusted> {
  constructor(
    readonly partnerId: string,
    readonly request: AdjustLedgerRequest,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
