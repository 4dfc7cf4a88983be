import { Command } from '@nestjs/cqrs';

/** Revokes an API key; revoking it again is fine, an unknown id is 404. */
export class RevokeApiKeyCommand extends Command<void> {
  constructor(readonly id: string) {
    super();
  }
}
