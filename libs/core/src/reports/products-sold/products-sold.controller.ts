import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ReportRangeRequest } from '../shared/report-range.request';
import { ProductsSoldQuery } from './products-sold.query';
import { ProductsSoldResponse } from './products-sold.responses';

@ApiTags('Reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class ProductsSoldController {
  constructor(private readonly queries: QueryBus) {}

  /** Attempts per partner and product (declined included), with what was collected and refunded. */
  @ApiOperation({
    summary: 'Products sold',
    description:
      'Attempts per partner and product (declined included), with what was collected and refunded.',
  })
  @ApiOkResponse({ type: ProductsSoldResponse })
  @Roles('auditor')
  @Get('products-sold')
  async productsSold(@Query() request: ReportRangeRequest): Promise<ProductsSoldResponse> {
    return this.queries.execute(new ProductsSoldQuery(request));
  }
}
