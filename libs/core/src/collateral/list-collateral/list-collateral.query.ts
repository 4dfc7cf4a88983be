import { Query } from '@nestjs/cqrs';
import type { CollateralView } from '../collateral.views';

/** Current collateral (removed too, with `removedAt`, when asked), oldest first. */
export class ListCollateralQuery extends Query<CollateralView[]> {
  constructor(readonly includeRemoved: boolean) {
    super();
  }
}
