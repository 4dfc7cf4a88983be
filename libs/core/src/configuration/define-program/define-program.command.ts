import { Command } from '@nestjs/cqrs';
import type { Program } from '@app/domain';
import type { Caller } from '../../auth/caller';

export interface ProgramWritten {
  readonly program: Program;
  readonly position: string;
}

/**
 * Defines a program (`create`: POST, an id may be chosen or is generated) or replaces one (`replace`:
 * PUT, the program must exist). The rules are checked by the domain.
 */
export class DefineProgramCommand extends Command<ProgramWritten> {
  constructor(
    readonly mode: 'create' | 'replace',
    readonly programId: string | undefined,
    /** The request body without absent fields. */
    readonly body: Readonly<Record<string, unknown>>,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
