/** Removes a webhook endpoint: an event, and its secret and health are deleted. */
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { domainEvent } from '@app/domain';
import { Database, notFound } from '@app/platform';
import { type Caller, actorOf } from '../../../auth/caller';
import { EventWriter } from '../../../write-model/event-writer';
import { findEndpoint, webhookEndpointStream } from '../webhook-endpoint.views';

export class RemoveEndpointCommand extends Command<{ position: string }> {
  constructor(
    readonly endpointId: string,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}

@CommandHandler(RemoveEndpointCommand)
export class RemoveEndpointHandler implements ICommandHandler<RemoveEndpointCommand> {
  constructor(
    private readonly database: Database,
    private readonly writer: EventWriter,
  ) {}

  async execute({ endpointId, caller }: RemoveEndpointCommand): Promise<{ position: string }> {
    return this.database.transaction(async (tx) => {
      if (!(await findEndpoint(tx, endpointId, true))) throw notFound(`No webhook endpoint ${endpointId}`);
      const written = await this.writer.writeOne(
        {
          streamId: webhookEndpointStream(endpointId),
          expectedVersion: 'stream-exists',
          event: domainEvent('WebhookEndpointRemoved', { endpointId }),
        },
        { actor: actorOf(caller) },
        tx,
      );
      await tx.query('DELETE FROM webhook_secrets WHERE endpoint_id = $1', [endpointId]);
      await tx.query('DELETE FROM webhook_endpoint_health WHERE endpoint_id = $1', [endpointId]);
      return { position: written.position };
    });
  }
}
