import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type ApiKeyRecord, ApiKeyService } from '../api-key.service';
import { ListApiKeysQuery } from './list-api-keys.query';

@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery> {
  constructor(private readonly keys: ApiKeyService) {}

  async execute(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }
}
