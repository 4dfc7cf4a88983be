import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../auth/roles.decorator';
import { WebhookEndpointView } from '../webhook-endpoint.views';
import { ListEndpointsQuery } from './list-endpoints.query';

@ApiTags('Webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class ListEndpointsController {
  constructor(private readonly queries: QueryBus) {}

  @Roles()
  @Get()
  @ApiOperation({
    operationId: 'Webhooks_list',
    summary: 'List the webhook endpoints (without their secrets)',
  })
  @ApiOkResponse({ type: [WebhookEndpointView] })
  async list(): Promise<WebhookEndpointView[]> {
    return this.queries.execute(new ListEndpointsQuery());
  }
}
