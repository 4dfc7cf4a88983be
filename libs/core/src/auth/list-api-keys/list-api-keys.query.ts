import { Query } from '@nestjs/cqrs';
import type { ApiKeyRecord } from '../api-key.service';

/** Every API key, never the keys themselves. */
export class ListApiKeysQuery extends Query<ApiKeyRecord[]> {}
