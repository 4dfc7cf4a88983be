/** The /v1 API as the Partner Center uses it: the partner token from the sign-in, kept for the tab. */

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

// The shapes of the answers the app reads.

export interface Me {
  id: string;
  code: string;
  name: string;
  email: string | null;
  status: string;
  parentId: string | null;
  recruitingUrl: string;
  currency: string;
  timezone: string;
}

export interface Ad {
  id: string;
  linkId: string;
  name: string;
  medium: string;
  trackingUrl: string;
}

export interface Link {
  id: string;
  code: string;
  name: string;
  destinationUrl: string;
  trackingUrl: string;
  ads: Ad[];
}

export interface StatsRow {
  linkId: string | null;
  linkCode: string | null;
  adId?: string | null;
  day?: string;
  clicks: number;
  uniqueVisitors: number;
  optIns: number;
  orders: number;
  subscriptions: number;
  renewals: number;
  declined: number;
  collected: number;
  revenue: number;
}

export interface Stats {
  from: string;
  to: string;
  currency: string;
  rows: StatsRow[];
}

export interface LedgerEntry {
  entryId: string;
  occurredAt: string;
  type: 'commission' | 'clawback' | 'payment' | 'adjustment';
  amount: number;
  balance: number;
  attemptId?: string;
  productId?: string;
  commissionId?: string;
  role?: string;
  level?: number;
  refundId?: string;
  batchId?: string;
  paymentType?: string;
  reason?: string;
}

export interface Ledger {
  from: string;
  to: string;
  currency: string;
  beginningBalance: number;
  commissions: number;
  clawbacks: number;
  adjustments: number;
  payments: number;
  endingBalance: number;
  entries: LedgerEntry[];
}

export interface Attribution {
  method: 'explicit' | 'cookie' | 'history' | 'ip';
  clickId?: string;
  linkId?: string;
  clickedAt?: string;
  referralSetAt?: string;
  referralSource?: string;
  rule: 'first' | 'last';
  trackingMethod: string;
}

export interface Commission {
  commissionId: string;
  attemptId: string;
  productId: string;
  role: 'sale' | 'lead';
  level: number;
  unused: boolean;
  amount: number;
  clawedBack: number;
  currency: string;
  rate: { flat: number | null; percent: string | null };
  base: number;
  quantity: number;
  renewalNumber: number | null;
  attribution: Attribution;
}

export interface Collateral {
  id: string;
  kind: 'banner' | 'email';
  name: string;
  trackingUrl: string | null;
  fileUrl: string | null;
  downloadUrl: string | null;
  width: number | null;
  height: number | null;
  snippet: string;
  subject: string | null;
}
