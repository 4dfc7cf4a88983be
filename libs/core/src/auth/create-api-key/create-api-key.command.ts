import { Command } from '@nestjs/cqrs';
import type { KeyRole } from '../api-key.service';
import type { Caller } from '../caller';

export interface ApiKeyCreated {
  id: string;
  /** The key itself: in this answer only. */
  key: string;
  name: string;
  role: KeyRole;
}

export class CreateApiKeyCommand extends Command<ApiKeyCreated> {
  constructor(
    readonly name: string,
    readonly role: KeyRole,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
