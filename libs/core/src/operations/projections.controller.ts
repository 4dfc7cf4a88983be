import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiAcceptedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { notFound } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { Roles } from '../auth/roles.decorator';
import { ProjectionStateResponse, RebuildStartedResponse } from './operations.responses';
import { ApiProblems } from '../openapi/api-docs';

@ApiTags('Operations')
@ApiBearerAuth()
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(private readonly runner: ProjectionRunner) {}

  @ApiOperation({
    summary: 'List the projections',
    description: 'Position, lag (events behind) and status of each read model.',
  })
  @ApiOkResponse({ type: [ProjectionStateResponse] })
  @Roles()
  @Get()
  async list(): Promise<ProjectionStateResponse[]> {
    return this.runner.states();
  }

  /** Starts a rebuild in the background; progress shows in the list (status, rebuildPosition). */
  @ApiOperation({
    summary: 'Rebuild a projection',
    description: 'Starts in the background; the reports keep answering from the old tables until the swap.',
  })
  @ApiAcceptedResponse({ type: RebuildStartedResponse })
  @ApiProblems({ 404: 'No such projection', 409: 'The projection cannot be rebuilt (the audit hash chain)' })
  @Roles()
  @Post(':name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string): Promise<RebuildStartedResponse> {
    if (!(await this.runner.requestRebuild(name))) throw notFound(`No projection named ${name}`);
    return { name, status: 'rebuilding' };
  }
}
