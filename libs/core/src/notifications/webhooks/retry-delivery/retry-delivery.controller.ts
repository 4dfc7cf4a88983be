import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../auth/roles.decorator';
import { ApiProblems } from '../../../openapi/api-docs';
import { RetryAcceptedView, RetryDeliveryCommand } from './retry-delivery.command';

@ApiTags('Webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class RetryDeliveryController {
  constructor(private readonly commands: CommandBus) {}

  /** Sends the delivery again with the same id (also one that succeeded or failed), with a new retry window. */
  @Roles()
  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({ operationId: 'Webhooks_retry', summary: 'Send a delivery again, with the same webhook-id' })
  @ApiAcceptedResponse({ type: RetryAcceptedView })
  @ApiProblems({ 404: 'No such endpoint or delivery' })
  @ApiProblems({ 404: 'No such endpoint or delivery' })
  @ApiProblems({ 409: 'The delivery is being sent right now' })
  async retry(@Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<RetryAcceptedView> {
    return this.commands.execute(new RetryDeliveryCommand(id, deliveryId));
  }
}
