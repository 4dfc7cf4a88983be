import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound } from '@app/platform';
import { ApiKeyService } from '../api-key.service';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand> {
  constructor(private readonly keys: ApiKeyService) {}

  async execute({ id }: RevokeApiKeyCommand): Promise<void> {
    if (!/^[0-9a-f-]{36}$/.test(id) || !(await this.keys.revoke(id))) throw notFound(`No API key ${id}`);
  }
}
