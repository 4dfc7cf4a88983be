import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { decideApproval } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Database, notFound } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { partnerStream, streamPosition } from '../configuration.streams';
import { partnerView } from '../configuration.views';
import { PartnerCredentials } from '../partner-credentials';
import { ApprovePartnerCommand, type PartnerApproved } from './approve-partner.command';

@CommandHandler(ApprovePartnerCommand)
export class ApprovePartnerHandler implements ICommandHandler<ApprovePartnerCommand> {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
    private readonly credentials: PartnerCredentials,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ partnerId, caller }: ApprovePartnerCommand): Promise<PartnerApproved> {
    return this.database.transaction(async (tx) => {
      // The store's lock on the stream (a partner's exists): a retry racing its original finds it approved.
      await this.store.lockStreams([partnerStream(partnerId)], tx);
      const partner = await this.queries.partner(partnerId, tx);
      if (!partner) throw notFound(`No partner ${partnerId}`);
      const events = decideApproval(partner);
      const position =
        events.length === 0
          ? await streamPosition(this.store, partnerStream(partnerId), tx)
          : (
              await this.writer.write(
                [
                  {
                    streamId: partnerStream(partnerId),
                    events: events.map((event) => ({
                      eventId: randomUUID(),
                      event,
                      occurredAt: new Date().toISOString(),
                    })),
                  },
                ],
                { actor: actorOf(caller) },
                tx,
              )
            ).position;
      const approved = await this.queries.partner(partnerId, tx);
      if (!approved) throw notFound(`No partner ${partnerId}`);
      const hasPassword = (await this.credentials.withPassword([partnerId], tx)).has(partnerId);
      return { ...partnerView(approved, hasPassword), position };
    });
  }
}
