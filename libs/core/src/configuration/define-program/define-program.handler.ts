import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { domainEvent, parseProgram, type Program } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Database, type Transaction, badRequest, conflict, notFound } from '@app/platform';
import { actorOf, type Caller } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { lockStream, programStream, streamPosition } from '../configuration.streams';
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
      await lockStream(tx, programStream(id));
      const existing = await this.queries.program(id, tx);
      const unchanged = existing !== null && sameContent(existing, program);
      if (mode === 'create' && existing) {
        // A retried POST gets the program it created; the same id with other content is a conflict.
        if (!unchanged) throw conflict(`Program ${id} already exists with other content`, 'id-conflict');
        return { program: existing, position: await streamPosition(this.store, programStream(id), tx) };
      }
      if (mode === 'replace' && !existing) throw notFound(`No program ${id}`);
      if (unchanged && existing) {
        return { program: existing, position: await streamPosition(this.store, programStream(id), tx) };
      }
      return { program, position: await this.append(program, mode, caller, tx) };
    });
  }

  private async append(
    program: Program,
    mode: DefineProgramCommand['mode'],
    caller: Caller | undefined,
    tx: Transaction,
  ): Promise<string> {
    const written = await this.writer.write(
      [
        {
          streamId: programStream(program.id),
          expectedVersion: mode === 'create' ? 'no-stream' : 'stream-exists',
          events: [
            {
              eventId: randomUUID(),
              event: domainEvent('ProgramDefined', { program }),
              occurredAt: new Date().toISOString(),
            },
          ],
        },
      ],
      { actor: actorOf(caller) },
      tx,
    );
    return written.position;
  }
}
