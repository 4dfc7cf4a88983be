/** The signed-in partner's collateral: each snippet with the partner's own tracking URL filled in. */
import { PartnerCollateralResponse } from './collateral.responses';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@app/platform';
import { type Caller, CurrentCaller } from '../auth/caller';
import { Roles } from '../auth/roles.decorator';
import type { PartnerLinkView } from '../configuration/configuration.views';
import { ListPartnerLinksQuery } from '../configuration/queries/configuration.queries';
import { InjectConfig } from '../infrastructure/infrastructure.module';
import { MeRequest, OnlyMyPartnerId, me } from '../partner-center/signed-in-partner';
import { CollateralStore } from './collateral.store';
import { partnerCollateralView } from './collateral.views';

@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me/collateral')
@UseGuards(OnlyMyPartnerId)
export class MyCollateralController {
  constructor(
    private readonly queries: QueryBus,
    private readonly store: CollateralStore,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Current banners and email copy; the tracking URL is the collateral's link's, or the first link's. */
  @Roles('partner')
  @Get()
  @ApiOperation({ summary: 'My collateral, with my tracking URL filled in' })
  @ApiOkResponse({ type: [PartnerCollateralResponse] })
  async list(
    @Query() _request: MeRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<PartnerCollateralResponse[]> {
    const partnerId = me(caller);
    const [links, records] = await Promise.all([
      this.queries.execute<ListPartnerLinksQuery, PartnerLinkView[]>(new ListPartnerLinksQuery(partnerId)),
      this.store.list(false),
    ]);
    const first = [...links].sort((a, b) => a.code.localeCompare(b.code))[0];
    return records.map((record) => {
      const link = record.linkId === null ? first : links.find((l) => l.id === record.linkId);
      return partnerCollateralView(record, link?.trackingUrl ?? null, this.config.publicBaseUrl);
    });
  }
}
