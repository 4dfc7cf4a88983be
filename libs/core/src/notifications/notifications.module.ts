/**
 * Partner emails and webhooks (issue 18, seed 003): two projections turn log events into an outbox of
 * notifications and webhook deliveries; two dispatchers send them with a lease per message.
 */
import { Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Projection } from '@app/projections';
import { domainProjection } from '../infrastructure/domain-projection';
import { RUN_DISPATCHERS } from '../infrastructure/tokens';
import { EmailDispatcher } from './partner-emails/email-dispatcher';
import { NotificationsController } from './partner-emails/notifications.controller';
import { PartnerNotificationsProjection } from './partner-emails/partner-notifications.projection';
import { PartnerPreferencesController } from './partner-preferences/partner-preferences.controller';
import { ChangeEndpointController } from './webhooks/change-endpoint/change-endpoint.controller';
import { ChangeEndpointHandler } from './webhooks/change-endpoint/change-endpoint.handler';
import { WebhookDispatcher } from './webhooks/dispatch/webhook-dispatcher';
import { WebhooksController } from './webhooks/queries/webhooks.controller';
import { RegisterEndpointController } from './webhooks/register-endpoint/register-endpoint.controller';
import { RegisterEndpointHandler } from './webhooks/register-endpoint/register-endpoint.handler';
import { RemoveEndpointHandler } from './webhooks/remove-endpoint/remove-endpoint.handler';
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
  controllers: [
    NotificationsController,
    PartnerPreferencesController,
    RegisterEndpointController,
    ChangeEndpointController,
    WebhooksController,
  ],
  providers: [
    EmailDispatcher,
    WebhookDispatcher,
    RegisterEndpointHandler,
    ChangeEndpointHandler,
    RemoveEndpointHandler,
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
