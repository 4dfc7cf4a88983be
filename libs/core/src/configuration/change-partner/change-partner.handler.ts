import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Partner, type PartnerChanges, domainEvent } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Database, notFound, readBack } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { partnerStream, streamPosition } from '../configuration.streams';
import { partnerView } from '../configuration.views';
import type { PartnerWritten } from '../enroll-partner/enroll-partner.command';
import { PartnerCredentials } from '../partner-credentials';
import { checkParent, checkPrograms, lockPartnerTree } from '../partner-rules';
import { sameContent } from '@app/domain';
import { ChangePartnerCommand } from './change-partner.command';

@CommandHandler(ChangePartnerCommand)
export class ChangePartnerHandler implements ICommandHandler<ChangePartnerCommand> {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
    private readonly credentials: PartnerCredentials,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ partnerId, requested, password, caller }: ChangePartnerCommand): Promise<PartnerWritten> {
    const passwordHash = password === undefined ? null : await PartnerCredentials.hashPassword(password);
    return this.database.transaction(async (tx) => {
      await lockPartnerTree(tx);
      const current = await this.queries.partner(partnerId, tx);
      if (!current) throw notFound(`No partner ${partnerId}`);
      const changes = changedFields(current, requested);
      if (changes.parentId) await checkParent(this.queries, partnerId, changes.parentId, tx);
      if (changes.programIds) await checkPrograms(this.queries, changes.programIds, tx);

      let position: string;
      if (Object.keys(changes).length > 0) {
        const written = await this.writer.writeOne(
          {
            streamId: partnerStream(partnerId),
            expectedVersion: 'stream-exists',
            event: domainEvent('PartnerChanged', { partnerId, changes }),
          },
          { actor: actorOf(caller) },
          tx,
        );
        position = written.position;
      } else {
        position = await streamPosition(this.store, partnerStream(partnerId), tx);
      }
      if (passwordHash !== null) await this.credentials.store(partnerId, passwordHash, tx);
      // A partner that stops being active loses its signed-in sessions for good, not only while inactive.
      if (changes.status !== undefined && changes.status !== 'active')
        await this.credentials.revokeTokens(partnerId, tx);

      const changed = readBack(await this.queries.partner(partnerId, tx), `partner ${partnerId}`);
      const hasPassword = (await this.credentials.withPassword([partnerId], tx)).has(partnerId);
      return { partner: partnerView(changed, hasPassword), position };
    });
  }
}

/** The requested fields whose value differs from the partner's. */
function changedFields(current: Partner, requested: PartnerChanges): PartnerChanges {
  const changes: PartnerChanges = {};
  for (const key of Object.keys(requested) as (keyof PartnerChanges)[]) {
    const value = requested[key];
    if (value !== undefined && !sameContent(current[key], value)) Object.assign(changes, { [key]: value });
  }
  return changes;
}
