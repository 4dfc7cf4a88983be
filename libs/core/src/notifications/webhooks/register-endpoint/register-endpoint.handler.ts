/** Registers a webhook endpoint: an event in the log, and its new signing secret outside the log. */
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { domainEvent } from '@app/domain';
import { type AppConfig, Database, readBack, unprocessable } from '@app/platform';
import { Inject } from '@nestjs/common';
import { type Caller, actorOf } from '../../../auth/caller';
import { APP_CONFIG } from '../../../infrastructure/tokens';
import { EventWriter } from '../../../write-model/event-writer';
import { DestinationRefusedError, checkDestination } from '../destination-guard';
import {
  type RegisteredWebhookEndpointView,
  findEndpoint,
  webhookEndpointStream,
} from '../webhook-endpoint.views';
import type { RegisterEndpointRequest } from './register-endpoint.request';

export class RegisterEndpointCommand extends Command<RegisteredWebhookEndpointView> {
  constructor(
    readonly request: RegisterEndpointRequest,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}

/** 422 `destination-refused` for a private or loopback destination (unless WEBHOOK_ALLOW_PRIVATE). */
export async function checkUrl(url: string, config: AppConfig): Promise<void> {
  try {
    await checkDestination(new URL(url), config.notifications.webhookAllowPrivate);
  } catch (error) {
    if (!(error instanceof DestinationRefusedError)) throw error;
    throw unprocessable(error.message, 'destination-refused', [{ path: 'url', message: error.message }]);
  }
}

@CommandHandler(RegisterEndpointCommand)
export class RegisterEndpointHandler implements ICommandHandler<RegisterEndpointCommand> {
  constructor(
    private readonly database: Database,
    private readonly writer: EventWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ request, caller }: RegisterEndpointCommand): Promise<RegisteredWebhookEndpointView> {
    await checkUrl(request.url, this.config);
    const endpointId = `wh_${randomBytes(12).toString('hex')}`;
    // Standard Webhooks secrets: "whsec_" + base64 of the key (24 random bytes here).
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    return this.database.transaction(async (tx) => {
      const written = await this.writer.writeOne(
        {
          streamId: webhookEndpointStream(endpointId),
          expectedVersion: 'no-stream',
          event: domainEvent('WebhookEndpointRegistered', {
            endpointId,
            url: request.url,
            events: request.events,
            description: request.description ?? null,
          }),
        },
        { actor: actorOf(caller) },
        tx,
      );
      await tx.query('INSERT INTO webhook_secrets (endpoint_id, secret) VALUES ($1, $2)', [
        endpointId,
        secret,
      ]);
      const endpoint = readBack(await findEndpoint(tx, endpointId), `webhook endpoint ${endpointId}`);
      return { ...endpoint, position: written.position, secret };
    });
  }
}
