import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { AppConfig } from '@app/platform';
import { ListPartnerLinksQuery } from '../../configuration/queries/configuration.queries';
import { APP_CONFIG } from '../../infrastructure/tokens';
import { CollateralStore } from '../collateral.store';
import { type PartnerCollateralView, partnerCollateralView } from '../collateral.views';
import { MyCollateralQuery } from './my-collateral.query';

@QueryHandler(MyCollateralQuery)
export class MyCollateralHandler implements IQueryHandler<MyCollateralQuery> {
  constructor(
    private readonly queries: QueryBus,
    private readonly store: CollateralStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ partnerId }: MyCollateralQuery): Promise<PartnerCollateralView[]> {
    const [links, records] = await Promise.all([
      this.queries.execute(new ListPartnerLinksQuery(partnerId)),
      this.store.list(false),
    ]);
    const first = [...links].sort((a, b) => a.code.localeCompare(b.code))[0];
    return records.map((record) => {
      const link = record.linkId === null ? first : links.find((l) => l.id === record.linkId);
      return partnerCollateralView(record, link?.trackingUrl ?? null, this.config.publicBaseUrl);
    });
  }
}
