import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../auth/caller';
import type { CollateralView } from '../collateral.views';

/** `position` is null when the collateral was removed before (nothing is written again). */
export type CollateralRemoved = CollateralView & { position: string | null };

/**
 * Withdraws collateral from the Partner Center with a `CollateralRemoved` event; the addition and
 * the file stay on record (and the file's URL keeps working for pages that embed it).
 */
export class RemoveCollateralCommand extends Command<CollateralRemoved> {
  constructor(
    readonly id: string,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
