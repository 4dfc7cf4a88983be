import { Command } from '@nestjs/cqrs';
import type { LinkDefinedData } from '@app/domain';
import type { Caller } from '../../auth/caller';
import type { LinkRecord } from '../../write-model/write-model.queries';

export interface LinkWritten {
  readonly link: LinkRecord;
  readonly position: string;
}

/** Defines a tracking link (code, name, destination URL, optional program). */
export class DefineLinkCommand extends Command<LinkWritten> {
  constructor(
    readonly link: LinkDefinedData,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
