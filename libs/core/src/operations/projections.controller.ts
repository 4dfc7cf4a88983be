import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { notFound } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { Roles } from '../auth/roles.decorator';

@ApiTags('Operations')
@ApiBearerAuth()
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(private readonly runner: ProjectionRunner) {}

  @Roles()
  @Get()
  async list() {
    return this.runner.states();
  }

  /** Starts a rebuild in the background; progress shows in the list (status, rebuildPosition). */
  @Roles()
  @Post(':name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string) {
    if (!(await this.runner.requestRebuild(name))) throw notFound(`No projection named ${name}`);
    return { name, status: 'rebuilding' };
  }
}
