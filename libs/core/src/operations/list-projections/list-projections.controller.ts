import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProjectionState } from '@app/projections';
import { Roles } from '../../auth/roles.decorator';
import { ProjectionStateResponse } from '../operations.responses';
import { ListProjectionsQuery } from './list-projections.query';

@ApiTags('Operations')
@ApiBearerAuth()
@Controller('v1/admin/projections')
export class ListProjectionsController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({
    operationId: 'Projections_list',
    summary: 'List the projections',
    description: 'Position, lag (events behind) and status of each read model.',
  })
  @ApiOkResponse({ type: [ProjectionStateResponse] })
  @Roles()
  @Get()
  async list(): Promise<ProjectionState[]> {
    return this.queries.execute(new ListProjectionsQuery());
  }
}
