import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainRuleViolation, domainEvent } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Database, conflict, readBack } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { lockStream, linkStream, streamPosition } from '../configuration.streams';
import { sameContent } from '@app/domain';
import { DefineLinkCommand, type LinkWritten } from './define-link.command';

@CommandHandler(DefineLinkCommand)
export class DefineLinkHandler implements ICommandHandler<DefineLinkCommand> {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ link, caller }: DefineLinkCommand): Promise<LinkWritten> {
    return this.database.transaction(async (tx) => {
      await lockStream(tx, linkStream(link.linkId));
      const existing = await this.queries.link(link.linkId, tx);
      if (existing) {
        // A retried POST gets the link it defined; the same id with other content is a conflict.
        const { id, definedAt: _definedAt, ...content } = existing;
        if (!sameContent({ linkId: id, ...content }, link)) {
          throw conflict(`Link ${link.linkId} already exists with other content`, 'id-conflict');
        }
        return { link: existing, position: await streamPosition(this.store, linkStream(link.linkId), tx) };
      }
      // The unique index on lower(code) settles a race between two requests with one code (409 too).
      if (await this.queries.linkByCode(link.code, tx)) {
        throw conflict(`The link code ${link.code} is taken`, 'code-taken');
      }
      if (link.programId !== null && !(await this.queries.program(link.programId, tx))) {
        throw new DomainRuleViolation('unknown-program', `unknown program ${link.programId}`, 'programId');
      }
      const written = await this.writer.writeOne(
        {
          streamId: linkStream(link.linkId),
          expectedVersion: 'no-stream',
          event: domainEvent('LinkDefined', link),
        },
        { actor: actorOf(caller) },
        tx,
      );
      const defined = readBack(await this.queries.link(link.linkId, tx), `link ${link.linkId}`);
      return { link: defined, position: written.position };
    });
  }
}
