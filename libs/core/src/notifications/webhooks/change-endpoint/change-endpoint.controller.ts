import { Body, Controller, Delete, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiProblems } from '../../../openapi/api-docs';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller, actorOf } from '../../../auth/caller';
import { Roles } from '../../../auth/roles.decorator';
import { RemoveEndpointCommand } from '../remove-endpoint/remove-endpoint.handler';
import { WebhookEndpointWrittenView } from '../webhook-endpoint.views';
import { ChangeEndpointCommand } from './change-endpoint.handler';
import { ChangeEndpointRequest } from './change-endpoint.request';

@ApiTags('Webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class ChangeEndpointController {
  constructor(private readonly commands: CommandBus) {}

  @Roles()
  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook endpoint (url, events, description, enabled)' })
  @ApiOkResponse({ type: WebhookEndpointWrittenView })
  @ApiProblems({ 404: 'No such endpoint' })
  @ApiProblems({ 422: 'destination-refused: a private or loopback address' })
  async change(
    @Param('id') id: string,
    @Body() body: ChangeEndpointRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<WebhookEndpointWrittenView> {
    return this.commands.execute(new ChangeEndpointCommand(id, { ...body }, actorOf(caller)));
  }

  @Roles()
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a webhook endpoint; its pending deliveries are marked failed' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems({ 404: 'No such endpoint' })
  async remove(@Param('id') id: string, @CurrentCaller() caller?: Caller): Promise<void> {
    await this.commands.execute(new RemoveEndpointCommand(id, caller));
  }
}
