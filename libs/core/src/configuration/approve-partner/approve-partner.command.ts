import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../auth/caller';
import type { PartnerView } from '../configuration.views';

export type PartnerApproved = PartnerView & { position: string };

/**
 * Approves a partner that signed up in the Partner Center: `PartnerApproved` makes it active. An
 * active partner is answered as it is (no event); an inactive one is 422 `not-pending`.
 */
export class ApprovePartnerCommand extends Command<PartnerApproved> {
  constructor(
    readonly partnerId: string,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
