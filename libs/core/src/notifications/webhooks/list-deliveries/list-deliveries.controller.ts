import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../auth/roles.decorator';
import { ApiProblems } from '../../../openapi/api-docs';
import { DeliveryView } from '../delivery.views';
import { ListDeliveriesQuery } from './list-deliveries.query';
import { DeliveriesRequest } from './list-deliveries.request';

@ApiTags('Webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class ListDeliveriesController {
  constructor(private readonly queries: QueryBus) {}

  @Roles()
  @Get(':id/deliveries')
  @ApiOperation({
    operationId: 'Webhooks_deliveries',
    summary: "An endpoint's deliveries in log order, each with every attempt",
  })
  @ApiProblems({ 404: 'No such endpoint' })
  @ApiOkResponse({ type: [DeliveryView] })
  @ApiProblems({ 404: 'No such endpoint' })
  async deliveries(@Param('id') id: string, @Query() request: DeliveriesRequest): Promise<DeliveryView[]> {
    return this.queries.execute(new ListDeliveriesQuery(id, request.status, request.limit ?? 100));
  }
}
