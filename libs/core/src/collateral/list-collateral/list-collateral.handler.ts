import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { AppConfig } from '@app/platform';
import { APP_CONFIG } from '../../infrastructure/tokens';
import { CollateralStore } from '../collateral.store';
import { type CollateralView, collateralView } from '../collateral.views';
import { ListCollateralQuery } from './list-collateral.query';

@QueryHandler(ListCollateralQuery)
export class ListCollateralHandler implements IQueryHandler<ListCollateralQuery> {
  constructor(
    private readonly store: CollateralStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ includeRemoved }: ListCollateralQuery): Promise<CollateralView[]> {
    const records = await this.store.list(includeRemoved);
    return records.map((record) => collateralView(record, this.config.publicBaseUrl));
  }
}
