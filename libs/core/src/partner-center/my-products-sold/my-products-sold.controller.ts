import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { type ProductsSoldReport, ProductsSoldQuery } from '../../reports/products-sold/products-sold.query';
import { ProductsSoldResponse } from '../../reports/products-sold/products-sold.responses';
import { ReportRangeRequest } from '../../reports/shared/report-range.request';
import { OnlyMyPartnerId, me, onlyMine } from '../signed-in-partner';

/** The products-sold report, limited to the signed-in partner. */
@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(OnlyMyPartnerId)
export class MyProductsSoldController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({
    operationId: 'Me_productsSold',
    summary: 'My products sold',
    description: 'A `partnerId` naming another partner is 403.',
  })
  @ApiOkResponse({ type: ProductsSoldResponse })
  @Roles('partner')
  @Get('products-sold')
  async productsSold(
    @Query() request: ReportRangeRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<ProductsSoldReport> {
    return this.queries.execute(new ProductsSoldQuery(onlyMine(request, me(caller))));
  }
}
