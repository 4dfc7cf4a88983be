/**
 * A typed HTTP client of the service for internal services, scripts and tests: openapi-fetch over the
 * types generated from the OpenAPI document (schema.ts, `npm run openapi:types`). A field or path that
 * the document does not have is a compile error, so a drift between the code and the document breaks
 * the build of whoever uses it.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
export type ApiClient = Client<paths>;
export type Schemas = components['schemas'];
/** One envelope of POST /v1/events. */
export type Envelope = Schemas['EnvelopeRequest'];

export interface ApiClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** The service, e.g. http://localhost:3000. */
  readonly baseUrl: string;
  /** An API key (or a Partner Center token), sent as `Authorization: Bearer <key>`. */
  readonly key?: string;
}

export function createApiClient({ baseUrl, key, headers, ...options }: ApiClientOptions): ApiClient {
  return createClient<paths>({
    baseUrl,
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(headers as Record<string, string>) },
    ...options,
  });
}
