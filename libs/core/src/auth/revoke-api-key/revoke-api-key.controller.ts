import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../openapi/api-docs';
import { Roles } from '../roles.decorator';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

@ApiTags('Operations')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class RevokeApiKeyController {
  constructor(private readonly commands: CommandBus) {}

  @ApiOperation({ operationId: 'ApiKeys_revoke', summary: 'Revoke an API key' })
  @ApiNoContentResponse({ description: 'Revoked (again: still 204)' })
  @ApiProblems({ 404: 'No such key' })
  @Roles()
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string): Promise<void> {
    await this.commands.execute(new RevokeApiKeyCommand(id));
  }
}
