import { Body, Controller, Post } from '@nestjs/common';
import { ApiProblems } from '../../../openapi/api-docs';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../../auth/caller';
import { Roles } from '../../../auth/roles.decorator';
import { RegisteredWebhookEndpointView } from '../webhook-endpoint.views';
import { RegisterEndpointCommand } from './register-endpoint.handler';
import { RegisterEndpointRequest } from './register-endpoint.request';

@ApiTags('Webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class RegisterEndpointController {
  constructor(private readonly commands: CommandBus) {}

  @Roles()
  @Post()
  @ApiOperation({ summary: 'Register a webhook endpoint; the answer shows its signing secret, once' })
  @ApiCreatedResponse({ type: RegisteredWebhookEndpointView })
  @ApiProblems({ 422: 'destination-refused: a private or loopback address' })
  async register(
    @Body() body: RegisterEndpointRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<RegisteredWebhookEndpointView> {
    return this.commands.execute(new RegisterEndpointCommand(body, caller));
  }
}
