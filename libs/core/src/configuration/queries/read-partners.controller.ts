import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import {
  GetPartnerQuery,
  ListPartnerAdsQuery,
  ListPartnerLinksQuery,
  ListPartnersQuery,
} from './configuration.queries';

@ApiTags('Partners')
@ApiBearerAuth()
@Controller('v1/partners')
export class ReadPartnersController {
  constructor(private readonly queries: QueryBus) {}

  /** Every partner, by id (never a password or its hash; `hasPassword` says whether one is set). */
  @Roles('auditor')
  @Get()
  async list() {
    return this.queries.execute(new ListPartnersQuery());
  }

  @Roles('auditor')
  @Get(':id')
  async get(@Param('id') id: string) {
    return this.queries.execute(new GetPartnerQuery(id));
  }

  /** Every link with this partner's tracking URL, and the partner's ads on it (`?ad=` URLs). */
  @ApiTags('Links and ads')
  @Roles('auditor')
  @Get(':id/links')
  async links(@Param('id') id: string) {
    return this.queries.execute(new ListPartnerLinksQuery(id));
  }

  /** The partner's ads, each with its tracking URL. */
  @ApiTags('Links and ads')
  @Roles('auditor')
  @Get(':id/ads')
  async ads(@Param('id') id: string) {
    return this.queries.execute(new ListPartnerAdsQuery(id));
  }
}
