import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiProblems } from '../../../openapi/api-docs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Database, conflict, notFound } from '@app/platform';
import { Roles } from '../../../auth/roles.decorator';
import { WebhookEndpointView, findEndpoint, listEndpoints } from '../webhook-endpoint.views';
import { DELIVERY_STATUSES, DeliveryView, listDeliveries } from './delivery.views';
import { WebhookDispatcher } from '../dispatch/webhook-dispatcher';

export class DeliveriesRequest {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

class RetryAcceptedView {
  @ApiPropertyOptional()
  deliveryId!: string;

  @ApiPropertyOptional({ enum: ['pending'] })
  status!: 'pending';
}

@ApiTags('Webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly database: Database,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  @Roles()
  @Get()
  @ApiOperation({ summary: 'List the webhook endpoints (without their secrets)' })
  @ApiOkResponse({ type: [WebhookEndpointView] })
  async list(): Promise<WebhookEndpointView[]> {
    return listEndpoints(this.database);
  }

  @Roles()
  @Get(':id')
  @ApiOperation({ summary: 'One webhook endpoint (without its secret)' })
  @ApiProblems({ 404: 'No such endpoint' })
  @ApiOkResponse({ type: WebhookEndpointView })
  @ApiProblems({ 404: 'No such endpoint' })
  async get(@Param('id') id: string): Promise<WebhookEndpointView> {
    const endpoint = await findEndpoint(this.database, id);
    if (!endpoint) throw notFound(`No webhook endpoint ${id}`);
    return endpoint;
  }

  @Roles()
  @Get(':id/deliveries')
  @ApiOperation({ summary: "An endpoint's deliveries in log order, each with every attempt" })
  @ApiProblems({ 404: 'No such endpoint' })
  @ApiOkResponse({ type: [DeliveryView] })
  @ApiProblems({ 404: 'No such endpoint' })
  async deliveries(@Param('id') id: string, @Query() request: DeliveriesRequest): Promise<DeliveryView[]> {
    if (!(await findEndpoint(this.database, id))) throw notFound(`No webhook endpoint ${id}`);
    return listDeliveries(this.database, id, { status: request.status, limit: request.limit ?? 100 });
  }

  /** Sends the delivery again with the same id (also one that succeeded or failed), with a new retry window. */
  @Roles()
  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again, with the same webhook-id' })
  @ApiAcceptedResponse({ type: RetryAcceptedView })
  @ApiProblems({ 404: 'No such endpoint or delivery' })
  @ApiProblems({ 404: 'No such endpoint or delivery' })
  @ApiProblems({ 409: 'The delivery is being sent right now' })
  async retry(@Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<RetryAcceptedView> {
    const { rows } = await this.database.query<{ leased: boolean }>(
      `SELECT lease_until IS NOT NULL AND lease_until > now() AS leased FROM webhook_deliveries
        WHERE delivery_id = $1 AND endpoint_id = $2`,
      [deliveryId, id],
    );
    if (!rows[0]) throw notFound(`No delivery ${deliveryId} for webhook endpoint ${id}`);
    const { rowCount } = await this.database.query(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), first_attempt_at = NULL
        WHERE delivery_id = $1 AND endpoint_id = $2 AND (lease_until IS NULL OR lease_until <= now())`,
      [deliveryId, id],
    );
    if (rowCount === 0)
      throw conflict(`Delivery ${deliveryId} is being sent right now; try again in a moment`);
    this.dispatcher.poke();
    return { deliveryId, status: 'pending' };
  }
}
