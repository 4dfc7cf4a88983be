import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { ConsumerStateView } from '../operations.views';
import { ListConsumersQuery } from './list-consumers.query';

@ApiTags('Operations')
@ApiBearerAuth()
@Controller('v1/admin/consumers')
export class ListConsumersController {
  constructor(private readonly queries: QueryBus) {}

  @Roles()
  @Get()
  @ApiOperation({
    operationId: 'Consumers_list',
    summary: 'Broker consumers and their lag',
    description:
      'The JetStream ingest consumer (empty list when NATS_URL is not set): messages pending and awaiting ' +
      'acknowledgement, redeliveries, dead letters, and which process leads it.',
  })
  @ApiOkResponse({ type: ConsumerStateView, isArray: true })
  @ApiProblems({ 503: 'NATS or the database does not answer' })
  async list(): Promise<ConsumerStateView[]> {
    return this.queries.execute(new ListConsumersQuery());
  }
}
