import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actorOf } from '../../auth/caller';
import { GroupCommitter } from '../group-commit/group-committer';
import { IngestService } from '../ingest.service';
import { PublishEventsCommand } from './publish-events.command';
import type { IngestResponse } from './publish-events.responses';

@CommandHandler(PublishEventsCommand)
export class PublishEventsHandler implements ICommandHandler<PublishEventsCommand> {
  constructor(
    private readonly ingest: IngestService,
    private readonly groups: GroupCommitter,
  ) {}

  async execute({ events, caller }: PublishEventsCommand): Promise<IngestResponse> {
    const envelopes = this.ingest.validate(events);
    const meta = { actor: actorOf(caller) };
    // A single envelope shares its transaction with concurrent ones; a batch already is one.
    const results =
      envelopes.length === 1
        ? await this.groups.submit(envelopes, meta)
        : await this.ingest.ingest(envelopes, meta);
    const positions = results.flatMap((r) => (r.position ? [r.position] : []));
    return { results, position: positions[positions.length - 1] ?? null };
  }
}
