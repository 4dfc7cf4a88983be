import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainRuleViolation, domainEvent } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Database, type Transaction, conflict, readBack } from '@app/platform';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { createStream, linkStream, streamPosition } from '../configuration.streams';
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
      const retried = await this.answerRetry(link, tx);
      if (retried) return retried;
      // The unique index on lower(code) settles a race between two requests with one code (409 too).
      if (await this.queries.linkByCode(link.code, tx)) {
        // Taken by this very link, when its original committed since the look above.
        const original = await this.answerRetry(link, tx);
        if (original) return original;
        throw conflict(`The link code ${link.code} is taken`, 'code-taken');
      }
      if (link.programId !== null && !(await this.queries.program(link.programId, tx))) {
        throw new DomainRuleViolation('unknown-program', `unknown program ${link.programId}`, 'programId');
      }
      const position = await createStream(
        this.writer,
        linkStream(link.linkId),
        domainEvent('LinkDefined', link),
        caller,
        tx,
      );
      if (!position) return readBack(await this.answerRetry(link, tx), `link ${link.linkId}`);
      const defined = readBack(await this.queries.link(link.linkId, tx), `link ${link.linkId}`);
      return { link: defined, position };
    });
  }

  /** A retried POST gets the link it defined; the same id with other content is a conflict. */
  private async answerRetry(link: DefineLinkCommand['link'], tx: Transaction): Promise<LinkWritten | null> {
    const existing = await this.queries.link(link.linkId, tx);
    if (!existing) return null;
    const { id, definedAt: _definedAt, ...content } = existing;
    if (!sameContent({ linkId: id, ...content }, link)) {
      throw conflict(`Link ${link.linkId} already exists with other content`, 'id-conflict');
    }
    return { link: existing, position: await streamPosition(this.store, linkStream(link.linkId), tx) };
  }
}
