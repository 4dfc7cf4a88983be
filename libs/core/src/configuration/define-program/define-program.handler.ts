import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { type DomainEvent, domainEvent, parseProgram, type Program } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Database, badRequest, conflict, notFound } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { createStream, programStream, streamPosition } from '../configuration.streams';
import { sameContent } from '@app/domain';
import { DefineProgramCommand, type ProgramWritten } from './define-program.command';

@CommandHandler(DefineProgramCommand)
export class DefineProgramHandler implements ICommandHandler<DefineProgramCommand> {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ mode, programId, body, caller }: DefineProgramCommand): Promise<ProgramWritten> {
    if (mode === 'replace' && body['id'] !== undefined && body['id'] !== programId) {
      throw badRequest('The body names another program than the path', [
        { path: 'id', message: `must be "${programId}" or absent` },
      ]);
    }
    const id = programId ?? (typeof body['id'] === 'string' ? body['id'] : randomUUID());
    const parsed = parseProgram({ ...body, id });
    if (!parsed.ok) throw badRequest('The program is not valid', parsed.errors);
    const program = parsed.value;

    return this.database.transaction(async (tx) => {
      if (mode === 'create') {
        const existing = await this.queries.program(id, tx);
        const position = existing
          ? null
          : await createStream(this.writer, programStream(id), defined(program), caller, tx);
        if (position) return { program, position };
        // A retried POST gets the program it created; the same id with other content is a conflict.
        const stored = await this.queries.program(id, tx);
        if (!stored || !sameContent(stored, program))
          throw conflict(`Program ${id} already exists with other content`, 'id-conflict');
        return { program: stored, position: await streamPosition(this.store, programStream(id), tx) };
      }
      // The store's lock on the stream (an existing program's): concurrent PUTs apply one after the other.
      await this.store.lockStreams([programStream(id)], tx);
      const existing = await this.queries.program(id, tx);
      if (!existing) throw notFound(`No program ${id}`);
      if (sameContent(existing, program)) {
        return { program: existing, position: await streamPosition(this.store, programStream(id), tx) };
      }
      const written = await this.writer.write(
        [
          {
            streamId: programStream(id),
            expectedVersion: 'stream-exists',
            events: [
              { eventId: randomUUID(), event: defined(program), occurredAt: new Date().toISOString() },
            ],
          },
        ],
        { actor: actorOf(caller) },
        tx,
      );
      return { program, position: written.position };
    });
  }
}

const defined = (program: Program): DomainEvent => domainEvent('ProgramDefined', { program });
