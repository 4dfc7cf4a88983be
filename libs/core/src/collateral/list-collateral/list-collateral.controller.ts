import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { CollateralResponse } from '../collateral.responses';
import type { CollateralView } from '../collateral.views';
import { ListCollateralQuery } from './list-collateral.query';
import { ListCollateralRequest } from './list-collateral.request';

@ApiTags('Collateral')
@ApiBearerAuth()
@Controller('v1/collateral')
export class ListCollateralController {
  constructor(private readonly queries: QueryBus) {}

  /** Current collateral (`includeRemoved=true`: removed too, with `removedAt`), oldest first. */
  @Roles('auditor')
  @Get()
  @ApiOperation({
    operationId: 'Collateral_list',
    summary: 'List the collateral (removed items with includeRemoved)',
  })
  @ApiOkResponse({ type: [CollateralResponse] })
  async list(@Query() request: ListCollateralRequest): Promise<CollateralView[]> {
    return this.queries.execute(new ListCollateralQuery(request.includeRemoved === 'true'));
  }
}
