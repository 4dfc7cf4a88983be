/**
 * An HTTP client that behaves as the API asks clients to: every request has a timeout, and a request that
 * got no answer (connection refused or reset, timeout) or a 5xx is sent again, unchanged, after a short
 * backoff. Safe for POST /v1/events because eventIds make a repeated envelope a no-op ("duplicate").
 */
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ClientResponse<T = unknown> {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Headers;
  readonly body: T;
}

/** No answer at all: the request may or may not have been applied. */
export class NoAnswerError extends Error {
  constructor(
    readonly reason: 'timeout' | 'connection',
    cause: unknown,
  ) {
    super(`no answer (${reason}): ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'NoAnswerError';
  }
}

export interface RetryingClientOptions {
  readonly baseUrl: string | (() => string);
  readonly apiKey?: string;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** Give up retrying after this long (per call). */
  readonly retryForMs?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export interface ClientStats {
  requests: number;
  retries: number;
  noAnswer: number;
  timeouts: number;
  serverErrors: number;
}

export class RetryingClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, noAnswer: 0, timeouts: 0, serverErrors: 0 };

  constructor(private readonly options: RetryingClientOptions) {}

  private url(path: string): string {
    const base = typeof this.options.baseUrl === 'string' ? this.options.baseUrl : this.options.baseUrl();
    return `${base}${path}`;
  }

  /** One attempt, no retry: answers whatever status came back, throws NoAnswerError otherwise. */
  async once<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = this.options.timeoutMs ?? 10_000,
  ): Promise<ClientResponse<T>> {
    this.stats.requests++;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.apiKey) headers['authorization'] = `Bearer ${this.options.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetch(this.url(path), {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      const contentType = response.headers.get('content-type') ?? '';
      let parsed: unknown = text;
      if (/json/.test(contentType) && text !== '') parsed = JSON.parse(text);
      return { status: response.status, contentType, headers: response.headers, body: parsed as T };
    } catch (error) {
      this.stats.noAnswer++;
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      if (timedOut) this.stats.timeouts++;
      throw new NoAnswerError(timedOut ? 'timeout' : 'connection', error);
    }
  }

  /**
   * Sends the request completely, then drops the connection after `afterMs` without reading the answer:
   * the request may well be carried out, but its answer is lost (a client that gave up, a proxy that
   * timed out). Resolves once the connection is gone.
   */
  async abandon(method: string, path: string, body: unknown, afterMs: number): Promise<void> {
    this.stats.requests++;
    this.stats.noAnswer++;
    const text = JSON.stringify(body);
    await new Promise<void>((done) => {
      const request = httpRequest(this.url(path), {
        method,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
      });
      request.on('response', (response) => response.destroy());
      request.on('error', () => undefined);
      request.on('close', () => done());
      request.end(text);
      setTimeout(() => request.destroy(), afterMs);
    });
  }

  /**
   * Sends until an answer below 500 arrives (returned as is, 4xx included), retrying on no answer and on
   * 5xx with exponential backoff (honouring Retry-After up to the cap). Throws after `retryForMs`.
   */
  async send<T = unknown>(method: string, path: string, body?: unknown): Promise<ClientResponse<T>> {
    const deadline = Date.now() + (this.options.retryForMs ?? 120_000);
    const minBackoff = this.options.minBackoffMs ?? 50;
    const maxBackoff = this.options.maxBackoffMs ?? 1_000;
    let backoff = minBackoff;
    let last: string;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) this.stats.retries++;
      let wait = backoff;
      try {
        const response = await this.once<T>(method, path, body);
        if (response.status < 500) return response;
        this.stats.serverErrors++;
        last = `${response.status} ${JSON.stringify(response.body)}`;
        const retryAfter = Number(response.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) wait = Math.min(maxBackoff, retryAfter * 1000);
      } catch (error) {
        if (!(error instanceof NoAnswerError)) throw error;
        last = error.message;
      }
      if (Date.now() + wait > deadline) {
        throw new Error(`${method} ${path}: still failing after ${attempt} attempts: ${last}`);
      }
      await sleep(wait * (0.5 + Math.random() / 2));
      backoff = Math.min(maxBackoff, backoff * 2);
    }
  }

  get<T = unknown>(path: string): Promise<ClientResponse<T>> {
    return this.send<T>('GET', path);
  }

  post<T = unknown>(path: string, body: unknown): Promise<ClientResponse<T>> {
    return this.send<T>('POST', path, body);
  }
}
