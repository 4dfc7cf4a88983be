import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiKeyService } from '../api-key.service';
import { actorOf } from '../caller';
import { type ApiKeyCreated, CreateApiKeyCommand } from './create-api-key.command';

@CommandHandler(CreateApiKeyCommand)
export class CreateApiKeyHandler implements ICommandHandler<CreateApiKeyCommand> {
  constructor(private readonly keys: ApiKeyService) {}

  async execute({ name, role, caller }: CreateApiKeyCommand): Promise<ApiKeyCreated> {
    return this.keys.create(name, role, actorOf(caller));
  }
}
