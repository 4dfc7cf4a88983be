import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Database, conflict, notFound } from '@app/platform';
import { WebhookDispatcher } from '../dispatch/webhook-dispatcher';
import { type RetryAcceptedView, RetryDeliveryCommand } from './retry-delivery.command';

@CommandHandler(RetryDeliveryCommand)
export class RetryDeliveryHandler implements ICommandHandler<RetryDeliveryCommand> {
  constructor(
    private readonly database: Database,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async execute({ endpointId, deliveryId }: RetryDeliveryCommand): Promise<RetryAcceptedView> {
    const { rows } = await this.database.query<{ leased: boolean }>(
      `SELECT lease_until IS NOT NULL AND lease_until > now() AS leased FROM webhook_deliveries
        WHERE delivery_id = $1 AND endpoint_id = $2`,
      [deliveryId, endpointId],
    );
    if (!rows[0]) throw notFound(`No delivery ${deliveryId} for webhook endpoint ${endpointId}`);
    const { rowCount } = await this.database.query(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), first_attempt_at = NULL
        WHERE delivery_id = $1 AND endpoint_id = $2 AND (lease_until IS NULL OR lease_until <= now())`,
      [deliveryId, endpointId],
    );
    if (rowCount === 0)
      throw conflict(`Delivery ${deliveryId} is being sent right now; try again in a moment`);
    this.dispatcher.poke();
    return { deliveryId, status: 'pending' };
  }
}
