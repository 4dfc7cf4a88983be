import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { AppConfig } from '@app/platform';
import { GetPartnerQuery } from '../../configuration/queries/configuration.queries';
import { recruitingUrl } from '../../configuration/tracking-url';
import { APP_CONFIG } from '../../infrastructure/tokens';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { type MyProfile, MyProfileQuery } from './my-profile.query';

@QueryHandler(MyProfileQuery)
export class MyProfileHandler implements IQueryHandler<MyProfileQuery> {
  constructor(
    private readonly queries: QueryBus,
    private readonly writeModel: WriteModelQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ partnerId }: MyProfileQuery): Promise<MyProfile> {
    const partner = await this.queries.execute(new GetPartnerQuery(partnerId));
    const settings = await this.writeModel.settings();
    return {
      ...partner,
      recruitingUrl: recruitingUrl(this.config.publicBaseUrl, partner.code),
      currency: settings.currency,
      timezone: settings.timezone,
    };
  }
}
