import { Query } from '@nestjs/cqrs';
import type { PartnerCollateralView } from '../collateral.views';

/** Current banners and email copy; the tracking URL is the collateral's link's, or the first link's. */
export class MyCollateralQuery extends Query<PartnerCollateralView[]> {
  constructor(readonly partnerId: string) {
    super();
  }
}
