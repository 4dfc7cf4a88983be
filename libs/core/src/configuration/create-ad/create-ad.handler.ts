import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { domainEvent } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { type AppConfig, Database, conflict, notFound, readBack, unprocessable } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { APP_CONFIG } from '../../infrastructure/tokens';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { lockStream, adStream, streamPosition } from '../configuration.streams';
import { adView } from '../configuration.views';
import { sameContent } from '@app/domain';
import { type AdWritten, CreateAdCommand } from './create-ad.command';

@CommandHandler(CreateAdCommand)
export class CreateAdHandler implements ICommandHandler<CreateAdCommand> {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ ad, caller }: CreateAdCommand): Promise<AdWritten> {
    return this.database.transaction(async (tx) => {
      await lockStream(tx, adStream(ad.adId));
      const partner = await this.queries.partner(ad.partnerId, tx);
      if (!partner) throw notFound(`No partner ${ad.partnerId}`);
      const { codePrefix } = await this.queries.settings(tx);
      const context = { publicBaseUrl: this.config.publicBaseUrl, codePrefix, partnerCode: partner.code };

      const existing = await this.queries.ad(ad.adId, tx);
      if (existing) {
        // A retried POST gets the ad it created; the same id with other content is a conflict.
        const { id, createdAt: _createdAt, ...content } = existing;
        const link = await this.queries.link(existing.linkId, tx);
        if (!link || !sameContent({ adId: id, ...content }, ad)) {
          throw conflict(`Ad ${ad.adId} already exists with other content`, 'id-conflict');
        }
        return {
          ad: adView(existing, link.code, context),
          position: await streamPosition(this.store, adStream(ad.adId), tx),
        };
      }
      const link = await this.queries.link(ad.linkId, tx);
      if (!link) {
        throw unprocessable(`Unknown link ${ad.linkId}`, 'unknown-link', [
          { path: 'linkId', message: 'unknown link' },
        ]);
      }
      const written = await this.writer.writeOne(
        { streamId: adStream(ad.adId), expectedVersion: 'no-stream', event: domainEvent('AdCreated', ad) },
        { actor: actorOf(caller) },
        tx,
      );
      const created = readBack(await this.queries.ad(ad.adId, tx), `ad ${ad.adId}`);
      return { ad: adView(created, link.code, context), position: written.position };
    });
  }
}
