/**
 * Partner emails and webhooks (issue 18, seed 003): two projections turn log events into an outbox of
 * notifications and webhook deliveries; two dispatchers send them with a lease per message.
 */
import { Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Projection } from '@app/projections';
import { domainProjection } from '../infrastructure/domain-projection';
import { RUN_DISPATCHERS } from '../infrastructure/tokens';
import { EmailDispatcher } from './partner-emails/email-dispatcher';
import { NotificationsController } from './partner-emails/list-notifications/list-notifications.controller';
import { ListNotificationsHandler } from './partner-emails/list-notifications/list-notifications.handler';
import { PartnerNotificationsProjection } from './partner-emails/partner-notifications.projection';
import { PartnerPreferencesController } from './partner-preferences/partner-preferences.controller';
import { ChangeEndpointController } from './webhooks/change-endpoint/change-endpoint.controller';
import { ChangeEndpointHandler } from './webhooks/change-endpoint/change-endpoint.handler';
import { WebhookDispatcher } from './webhooks/dispatch/webhook-dispatcher';
import { GetEndpointController } from './webhooks/get-endpoint/get-endpoint.controller';
import { GetEndpointHandler } from './webhooks/get-endpoint/get-endpoint.handler';
import { ListDeliveriesController } from './webhooks/list-deliveries/list-deliveries.controller';
import { ListDeliveriesHandler } from './webhooks/list-deliveries/list-deliveries.handler';
import { ListEndpointsController } from './webhooks/list-endpoints/list-endpoints.controller';
import { ListEndpointsHandler } from './webhooks/list-endpoints/list-endpoints.handler';
import { RegisterEndpointController } from './webhooks/register-endpoint/register-endpoint.controller';
import { RegisterEndpointHandler } from './webhooks/register-endpoint/register-endpoint.handler';
import { RemoveEndpointHandler } from './webhooks/remove-endpoint/remove-endpoint.handler';
import { RetryDeliveryController } from './webhooks/retry-delivery/retry-delivery.controller';
import { RetryDeliveryHandler } from './webhooks/retry-delivery/retry-delivery.handler';
import { WebhookDeliveriesProjection } from './webhooks/webhook-deliveries.projection';

export const NOTIFICATION_PROJECTIONS: readonly Projection[] = [
  domainProjection(new PartnerNotificationsProjection()),
  domainProjection(new WebhookDeliveriesProjection()),
];

class DispatchersLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly emails: EmailDispatcher,
    private readonly webhooks: WebhookDispatcher,
    private readonly run: boolean,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.run) return;
    this.emails.start();
    this.webhooks.start();
  }

  /** Before the database closes (shutdown hooks run after every module's destroy hook). */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.emails.stop(), this.webhooks.stop()]);
  }
}

@Module({
  // In this order: the OpenAPI document lists the paths as the controllers come.
  controllers: [
    NotificationsController,
    PartnerPreferencesController,
    RegisterEndpointController,
    ChangeEndpointController,
    ListEndpointsController,
    GetEndpointController,
    ListDeliveriesController,
    RetryDeliveryController,
  ],
  providers: [
    EmailDispatcher,
    WebhookDispatcher,
    RegisterEndpointHandler,
    ChangeEndpointHandler,
    RemoveEndpointHandler,
    ListNotificationsHandler,
    ListEndpointsHandler,
    GetEndpointHandler,
    ListDeliveriesHandler,
    RetryDeliveryHandler,
    {
      provide: DispatchersLifecycle,
      useFactory: (emails: EmailDispatcher, webhooks: WebhookDispatcher, run: boolean) =>
        new DispatchersLifecycle(emails, webhooks, run),
      inject: [EmailDispatcher, WebhookDispatcher, RUN_DISPATCHERS],
    },
  ],
  exports: [EmailDispatcher],
})
export class NotificationsModule {}
