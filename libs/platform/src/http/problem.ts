/** RFC 9457 problem details, the one error shape every endpoint answers with. */

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Domain rule violated',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(
  status: number,
  detail?: string,
  extra: Partial<ProblemDocument> = {},
): ProblemDocument {
  const title = TITLES[status] ?? 'Error';
  return {
    type: `https://referral-ledger.dev/problems/${title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
    ...extra,
  };
}

/** An error that already knows how it should be answered. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly errors?: readonly FieldError[],
    readonly headers: Readonly<Record<string, string>> = {},
    readonly code?: string,
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  toProblem(): ProblemDocument {
    return problem(this.status, this.message, {
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.code ? { code: this.code } : {}),
    });
  }
}

export const badRequest = (detail: string, errors?: readonly FieldError[]): ProblemError =>
  new ProblemError(400, detail, errors);
export const notFound = (detail: string): ProblemError => new ProblemError(404, detail);
export const conflict = (detail: string, code?: string): ProblemError =>
  new ProblemError(409, detail, undefined, {}, code);
export const unprocessable = (detail: string, code?: string, errors?: readonly FieldError[]): ProblemError =>
  new ProblemError(422, detail, errors, {}, code);
export const unavailable = (detail: string, retryAfterSeconds = 1): ProblemError =>
  new ProblemError(503, detail, undefined, { 'Retry-After': String(retryAfterSeconds) });
