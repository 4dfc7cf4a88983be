import { Command } from '@nestjs/cqrs';
import type { AdCreatedData } from '@app/domain';
import type { Caller } from '../../auth/caller';
import type { AdView } from '../configuration.views';

export interface AdWritten {
  readonly ad: AdView;
  readonly position: string;
}

/** Creates a partner's ad on a link (admin for any partner; the Partner Center for the signed-in one). */
export class CreateAdCommand extends Command<AdWritten> {
  constructor(
    readonly ad: AdCreatedData,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
