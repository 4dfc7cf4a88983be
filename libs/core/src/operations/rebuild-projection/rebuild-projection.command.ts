import { Command } from '@nestjs/cqrs';

export interface RebuildStarted {
  name: string;
  status: 'rebuilding';
}

/** Starts a rebuild in the background; progress shows in the list (status, rebuildPosition). */
export class RebuildProjectionCommand extends Command<RebuildStarted> {
  constructor(readonly name: string) {
    super();
  }
}
