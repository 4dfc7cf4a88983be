import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../auth/roles.decorator';
import { ApiProblems } from '../../../openapi/api-docs';
import { WebhookEndpointView } from '../webhook-endpoint.views';
import { GetEndpointQuery } from './get-endpoint.query';

@ApiTags('Webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class GetEndpointController {
  constructor(private readonly queries: QueryBus) {}

  @Roles()
  @Get(':id')
  @ApiOperation({ operationId: 'Webhooks_get', summary: 'One webhook endpoint (without its secret)' })
  @ApiProblems({ 404: 'No such endpoint' })
  @ApiOkResponse({ type: WebhookEndpointView })
  @ApiProblems({ 404: 'No such endpoint' })
  async get(@Param('id') id: string): Promise<WebhookEndpointView> {
    return this.queries.execute(new GetEndpointQuery(id));
  }
}
