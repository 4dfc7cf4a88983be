import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { domainEvent, type Partner } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Database, conflict, readBack } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { type PartnerRecord, WriteModelQueries } from '../../write-model/write-model.queries';
import { partnerStream, streamPosition } from '../configuration.streams';
import { partnerView } from '../configuration.views';
import { PartnerCredentials } from '../partner-credentials';
import { checkParent, checkPrograms, lockPartnerTree } from '../partner-rules';
import { sameContent } from '@app/domain';
import { EnrollPartnerCommand, type PartnerWritten } from './enroll-partner.command';

@CommandHandler(EnrollPartnerCommand)
export class EnrollPartnerHandler implements ICommandHandler<EnrollPartnerCommand> {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
    private readonly credentials: PartnerCredentials,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ partner, password, caller }: EnrollPartnerCommand): Promise<PartnerWritten> {
    const passwordHash = password === undefined ? null : await PartnerCredentials.hashPassword(password);
    return this.database.transaction(async (tx) => {
      await lockPartnerTree(tx);
      const existing = await this.queries.partner(partner.id, tx);
      if (existing) {
        // A retried POST gets the partner it enrolled; the same id with other content is a conflict.
        const same =
          sameContent(withoutTimes(existing), partner) &&
          (await this.credentials.matches(partner.id, password, tx));
        if (!same) throw conflict(`Partner ${partner.id} already exists with other content`, 'id-conflict');
        return {
          partner: partnerView(existing, password !== undefined),
          position: await streamPosition(this.store, partnerStream(partner.id), tx),
        };
      }
      if (await this.queries.partnerByCode(partner.code, tx)) {
        throw conflict(`The partner code ${partner.code} is taken`, 'code-taken');
      }
      if (partner.parentId !== null) await checkParent(this.queries, partner.id, partner.parentId, tx);
      await checkPrograms(this.queries, partner.programIds, tx);

      const written = await this.writer.writeOne(
        {
          streamId: partnerStream(partner.id),
          expectedVersion: 'no-stream',
          event: domainEvent('PartnerEnrolled', { partner }),
        },
        { actor: actorOf(caller) },
        tx,
      );
      if (passwordHash !== null) await this.credentials.store(partner.id, passwordHash, tx);
      const enrolled = readBack(await this.queries.partner(partner.id, tx), `partner ${partner.id}`);
      return { partner: partnerView(enrolled, passwordHash !== null), position: written.position };
    });
  }
}

function withoutTimes({ enrolledAt: _enrolled, updatedAt: _updated, ...partner }: PartnerRecord): Partner {
  return partner;
}
