/**
 * The bench's client of the service's public HTTP API, with per-request timing: ingest and the
 * projection states go through the typed client (@app/api-client, generated from the OpenAPI document),
 * the rest through a plain JSON request.
 */
import { type ApiClient, type Envelope, type Schemas, createApiClient } from '@app/api-client';

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly ms: number;
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
  }
}

export class Api {
  private readonly client: ApiClient;

  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {
    this.client = createApiClient({ baseUrl, key });
  }

  /** POST /v1/events through the typed client. */
  async ingest(events: Envelope[], timeoutMs = 120_000): Promise<Answer<IngestAnswer>> {
    const started = performance.now();
    const { data, response } = await this.client.POST('/v1/events', {
      body: { events },
      signal: AbortSignal.timeout(timeoutMs),
      parseAs: 'text',
    });
    const ms = performance.now() - started;
    if (response.status >= 400 || data === undefined)
      throw new ApiError('POST', '/v1/events', response.status, String(data ?? ''));
    return { status: response.status, body: JSON.parse(data) as IngestAnswer, ms };
  }

  /** GET /v1/admin/projections through the typed client. */
  async projections(): Promise<Answer<ProjectionStateView[]>> {
    const started = performance.now();
    const { data, error, response } = await this.client.GET('/v1/admin/projections');
    if (!data) throw new ApiError('GET', '/v1/admin/projections', response.status, JSON.stringify(error));
    return { status: response.status, body: data, ms: performance.now() - started };
  }

  async request<T>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
    timeoutMs = 120_000,
  ): Promise<Answer<T>> {
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    if (response.status >= 400) throw new ApiError(method, path, response.status, text);
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T, ms };
  }

  get<T>(path: string): Promise<Answer<T>> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown, timeoutMs?: number): Promise<Answer<T>> {
    return this.request<T>('POST', path, body, timeoutMs);
  }

  patch<T>(path: string, body: unknown): Promise<Answer<T>> {
    return this.request<T>('PATCH', path, body);
  }
}

/** GET /v1/admin/projections */
export type ProjectionStateView = Schemas['ProjectionStateResponse'];

/** POST /v1/events */
export type IngestAnswer = Schemas['IngestResponse'];
