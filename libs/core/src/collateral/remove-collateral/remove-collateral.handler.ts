import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { domainEvent } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { type AppConfig, Database, notFound } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { APP_CONFIG } from '../../infrastructure/tokens';
import { EventWriter } from '../../write-model/event-writer';
import { collateralStream } from '../collateral-streams';
import { CollateralStore } from '../collateral.store';
import { collateralView } from '../collateral.views';
import { type CollateralRemoved, RemoveCollateralCommand } from './remove-collateral.command';

@CommandHandler(RemoveCollateralCommand)
export class RemoveCollateralHandler implements ICommandHandler<RemoveCollateralCommand> {
  constructor(
    private readonly database: Database,
    private readonly writer: EventWriter,
    private readonly store: CollateralStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  async execute({ id, caller }: RemoveCollateralCommand): Promise<CollateralRemoved> {
    return this.database.transaction(async (tx) => {
      // The store's lock on the stream: a retry racing its original finds it removed and writes nothing.
      await this.events.lockStreams([collateralStream(id)], tx);
      const record = await this.store.one(id, tx);
      if (!record) throw notFound(`No collateral ${id}`);
      let position: string | null = null;
      if (record.removedAt === null) {
        const written = await this.writer.writeOne(
          { streamId: collateralStream(id), event: domainEvent('CollateralRemoved', { collateralId: id }) },
          { actor: actorOf(caller) },
          tx,
        );
        position = written.position;
      }
      const removed = await this.store.one(id, tx);
      if (!removed) throw notFound(`No collateral ${id}`);
      return { ...collateralView(removed, this.config.publicBaseUrl), position };
    });
  }
}
