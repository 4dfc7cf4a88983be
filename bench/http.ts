/** A minimal JSON client for the service's public HTTP API, with per-request timing. */

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
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

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
export interface ProjectionStateView {
  readonly name: string;
  readonly position: string;
  readonly lag: number;
  readonly status: string;
  readonly rebuildPosition: string | null;
  readonly lastError: string | null;
}

/** POST /v1/events */
export interface IngestAnswer {
  readonly results: readonly { eventId: string; status: string; error?: { detail?: string } }[];
  readonly position: string | null;
}
