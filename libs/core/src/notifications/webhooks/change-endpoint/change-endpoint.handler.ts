/** Changes a webhook endpoint (an admin's PATCH, or the dispatcher disabling one that keeps failing). */
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type WebhookEndpointChanges, domainEvent } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { type AppConfig, Database, notFound, readBack } from '@app/platform';
import { APP_CONFIG } from '../../../infrastructure/tokens';
import { streamPosition } from '../../../configuration/configuration.streams';
import { sameContent } from '@app/domain';
import { EventWriter } from '../../../write-model/event-writer';
import { checkUrl } from '../register-endpoint/register-endpoint.handler';
import {
  type WebhookEndpointWrittenView,
  findEndpoint,
  webhookEndpointStream,
} from '../webhook-endpoint.views';

export class ChangeEndpointCommand extends Command<WebhookEndpointWrittenView> {
  constructor(
    readonly endpointId: string,
    readonly requested: WebhookEndpointChanges,
    /** Recorded on the event: `key:<name>` for an admin, `system:webhook-dispatcher` for a disable. */
    readonly actor: string,
  ) {
    super();
  }
}

@CommandHandler(ChangeEndpointCommand)
export class ChangeEndpointHandler implements ICommandHandler<ChangeEndpointCommand> {
  constructor(
    private readonly database: Database,
    private readonly writer: EventWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({
    endpointId,
    requested,
    actor,
  }: ChangeEndpointCommand): Promise<WebhookEndpointWrittenView> {
    if (requested.url !== undefined) await checkUrl(requested.url, this.config);
    const wanted: WebhookEndpointChanges = { ...requested };
    // Enabling clears the reason it was disabled for; disabling by hand says so.
    if (wanted.enabled === true) wanted.disabledReason = null;
    if (wanted.enabled === false && wanted.disabledReason === undefined)
      wanted.disabledReason = 'disabled by an admin';
    return this.database.transaction(async (tx) => {
      const current = await findEndpoint(tx, endpointId, true);
      if (!current) throw notFound(`No webhook endpoint ${endpointId}`);
      // Disabling what is already disabled keeps the first reason.
      if (wanted.enabled === false && !current.enabled) delete wanted.disabledReason;
      const changes: WebhookEndpointChanges = {};
      for (const [key, value] of Object.entries(wanted) as [keyof WebhookEndpointChanges, unknown][]) {
        if (value !== undefined && !sameContent(current[key], value))
          Object.assign(changes, { [key]: value });
      }
      let position: string;
      if (Object.keys(changes).length > 0) {
        const written = await this.writer.writeOne(
          {
            streamId: webhookEndpointStream(endpointId),
            expectedVersion: 'stream-exists',
            event: domainEvent('WebhookEndpointChanged', { endpointId, changes }),
          },
          { actor },
          tx,
        );
        position = written.position;
        if (changes.enabled === true)
          await tx.query('DELETE FROM webhook_endpoint_health WHERE endpoint_id = $1', [endpointId]);
      } else {
        position = await streamPosition(this.store, webhookEndpointStream(endpointId), tx);
      }
      const changed = readBack(await findEndpoint(tx, endpointId), `webhook endpoint ${endpointId}`);
      return { ...changed, position };
    });
  }
}
