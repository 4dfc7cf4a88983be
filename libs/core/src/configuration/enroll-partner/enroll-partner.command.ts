import { Command } from '@nestjs/cqrs';
import type { Partner } from '@app/domain';
import type { Caller } from '../../auth/caller';
import type { PartnerView } from '../configuration.views';

export interface PartnerWritten {
  readonly partner: PartnerView;
  readonly position: string;
}

/** Enrolls a partner; `password` (Partner Center sign-in) is stored as a hash, outside the event. */
export class EnrollPartnerCommand extends Command<PartnerWritten> {
  constructor(
    readonly partner: Partner,
    readonly password: string | undefined,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
