import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { RebuildStartedResponse } from '../operations.responses';
import { RebuildProjectionCommand, type RebuildStarted } from './rebuild-projection.command';

@ApiTags('Operations')
@ApiBearerAuth()
@Controller('v1/admin/projections')
export class RebuildProjectionController {
  constructor(private readonly commands: CommandBus) {}

  /** Starts a rebuild in the background; progress shows in the list (status, rebuildPosition). */
  @ApiOperation({
    operationId: 'Projections_rebuild',
    summary: 'Rebuild a projection',
    description: 'Starts in the background; the reports keep answering from the old tables until the swap.',
  })
  @ApiAcceptedResponse({ type: RebuildStartedResponse })
  @ApiProblems({ 404: 'No such projection', 409: 'The projection cannot be rebuilt (the audit hash chain)' })
  @Roles()
  @Post(':name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string): Promise<RebuildStarted> {
    return this.commands.execute(new RebuildProjectionCommand(name));
  }
}
