/** The /v1 API as the Partner Center uses it: the partner token from the sign-in, kept for the tab. */

import type { components } from '../../../libs/api-client/src';

const TOKEN_KEY = 'partner-center-token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter: number | null,
    readonly code: string | null,
    readonly errors: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = session.token();
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as {
      detail?: string;
      title?: string;
      code?: string;
      errors?: { path: string; message: string }[];
    };
    const retry = response.headers.get('retry-after');
    if (response.status === 401 && token) {
      session.signOut();
      onUnauthorized();
    }
    throw new ApiError(
      response.status,
      problem.detail ?? problem.title ?? `HTTP ${response.status}`,
      retry === null ? null : Number(retry),
      problem.code ?? null,
      problem.errors ?? [],
    );
  }
  return response;
}

export async function get<T>(path: string): Promise<T> {
  return (await request('GET', path)).json() as Promise<T>;
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return (await request('POST', path, body)).json() as Promise<T>;
}

export async function download(path: string): Promise<Blob> {
  return (await request('GET', path)).blob();
}

export const query = (params: Record<string, string | undefined>): string =>
  new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
  ).toString();

// The shapes of the answers the app reads: the types generated from the OpenAPI document
// (libs/api-client, `npm run openapi:types`), so a change of the API breaks this build, not the page.

type Schemas = components['schemas'];
type MyCommissions = Schemas['MyCommissionsResponse'];
export type Me = Schemas['MeProfileResponse'];
export type Link = Schemas['PartnerLinkResponse'];
export type Ad = Link['ads'][number];
export type Stats = Schemas['LinkStatsResponse'];
export type StatsRow = Stats['rows'][number];
export type Ledger = Schemas['PartnerLedgerResponse'];
export type LedgerEntry = Ledger['entries'][number];
export type Commission = MyCommissions['commissions'][number];
export type Collateral = Schemas['PartnerCollateralResponse'];
