import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../auth/caller';
import type { CollateralView } from '../collateral.views';
import type { AddCollateralRequest } from './add-collateral.request';

export type CollateralWritten = CollateralView & { position: string };

/** What multer hands over for the `file` part. */
export interface UploadedPart {
  buffer: Buffer;
  size: number;
  originalname: string;
}

/** A banner (its image checked by content) or email copy (with a tracking URL placeholder). */
export class AddCollateralCommand extends Command<CollateralWritten> {
  constructor(
    readonly request: AddCollateralRequest,
    readonly upload: UploadedPart | undefined,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
