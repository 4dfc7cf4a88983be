import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyCreatedResponse } from '../auth.responses';
import { type Caller, CurrentCaller } from '../caller';
import { Roles } from '../roles.decorator';
import { type ApiKeyCreated, CreateApiKeyCommand } from './create-api-key.command';
import { CreateApiKeyRequest } from './create-api-key.request';

@ApiTags('Operations')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class CreateApiKeyController {
  constructor(private readonly commands: CommandBus) {}

  @ApiOperation({
    operationId: 'ApiKeys_create',
    summary: 'Create an API key',
    description: 'The key is in this answer only.',
  })
  @ApiCreatedResponse({ type: ApiKeyCreatedResponse })
  @Roles()
  @Post()
  async create(@Body() body: CreateApiKeyRequest, @CurrentCaller() caller?: Caller): Promise<ApiKeyCreated> {
    return this.commands.execute(new CreateApiKeyCommand(body.name, body.role, caller));
  }
}
