/** Builders for e2e scenarios: configuration through the admin API, commerce facts through ingest. */
import type { TestApp } from './test-app';

let sequence = 0;
export const uniqueId = (prefix: string) =>
  `${prefix}-${++sequence}-${Math.random().toString(36).slice(2, 8)}`;

export async function createProgram(
  t: TestApp,
  body: {
    id?: string;
    name?: string;
    priority?: number;
    default?: unknown;
    products?: Record<string, unknown>;
  },
): Promise<string> {
  const response = await t
    .admin()
    .post('/v1/programs')
    .send({ name: 'Program', ...body });
  if (response.status !== 201)
    throw new Error(`createProgram: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

export async function createPartner(
  t: TestApp,
  body: {
    id?: string;
    code?: string;
    name?: string;
    email?: string;
    parentId?: string;
    programIds: string[];
    status?: string;
    leadCookieDays?: number | null;
  },
): Promise<string> {
  const code = body.code ?? uniqueId('p').replace(/-/g, '_');
  const response = await t
    .admin()
    .post('/v1/partners')
    .send({ name: `Partner ${code}`, ...body, code });
  if (response.status !== 201)
    throw new Error(`createPartner: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

export async function createLink(
  t: TestApp,
  body: { id?: string; code?: string; destinationUrl?: string } = {},
): Promise<{ id: string; code: string }> {
  const code = body.code ?? uniqueId('l');
  const response = await t
    .admin()
    .post('/v1/links')
    .send({ name: `Link ${code}`, destinationUrl: 'https://shop.example.com/offer?x=1', ...body, code });
  if (response.status !== 201)
    throw new Error(`createLink: ${response.status} ${JSON.stringify(response.body)}`);
  return { id: response.body.id as string, code };
}

export async function patchSettings(t: TestApp, patch: Record<string, unknown>): Promise<void> {
  const response = await t.admin().patch('/v1/settings').send(patch);
  if (response.status !== 200)
    throw new Error(`patchSettings: ${response.status} ${JSON.stringify(response.body)}`);
}

export interface Envelope {
  eventId?: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface IngestResultBody {
  eventId: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  position?: string;
  error?: { status: number; detail: string; code?: string };
}

/** Sends envelopes; fails the test unless the answer is 200. Event ids are generated when missing. */
export async function ingest(t: TestApp, envelopes: Envelope[]): Promise<IngestResultBody[]> {
  const events = envelopes.map((e) => ({ eventId: e.eventId ?? uniqueId('evt'), ...e }));
  const response = await t.admin().post('/v1/events').send({ events });
  if (response.status !== 200) throw new Error(`ingest: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.results as IngestResultBody[];
}

/** Sends envelopes and expects every one accepted. */
export async function ingestAll(t: TestApp, envelopes: Envelope[]): Promise<IngestResultBody[]> {
  const results = await ingest(t, envelopes);
  const refused = results.filter((r) => r.status !== 'accepted');
  if (refused.length > 0) throw new Error(`not accepted: ${JSON.stringify(refused)}`);
  return results;
}

export const click = (at: string, data: Record<string, unknown>): Envelope => ({
  type: 'LinkClicked',
  occurredAt: at,
  data,
});
export const optIn = (at: string, data: Record<string, unknown>): Envelope => ({
  type: 'ContactOptedIn',
  occurredAt: at,
  data,
});
export const attempt = (at: string, data: Record<string, unknown>): Envelope => ({
  type: 'PurchaseAttempted',
  occurredAt: at,
  data: { orderId: uniqueId('order'), kind: 'order', currency: 'USD', ...data },
});
export const collect = (at: string, attemptId: string): Envelope => ({
  type: 'PaymentCollected',
  occurredAt: at,
  data: { attemptId },
});
export const decline = (at: string, attemptId: string, reason = 'card declined'): Envelope => ({
  type: 'PaymentDeclined',
  occurredAt: at,
  data: { attemptId, reason },
});
export const refund = (
  at: string,
  attemptId: string,
  amount: number,
  refundId = uniqueId('refund'),
): Envelope => ({
  type: 'RefundIssued',
  occurredAt: at,
  data: { refundId, attemptId, amount, currency: 'USD' },
});

export async function getAttempt(t: TestApp, attemptId: string) {
  const response = await t.admin().get(`/v1/attempts/${attemptId}`);
  if (response.status !== 200)
    throw new Error(`getAttempt: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as {
    status: string;
    total: number;
    refunded: number;
    salePartnerId: string | null;
    leadPartnerId: string | null;
    attribution: { sale: { method: string; clickId?: string } | null; lead: unknown };
    commissions: {
      commissionId: string;
      partnerId: string;
      amount: number;
      clawedBack: number;
      role: string;
      level: number;
      unused: boolean;
      productId: string;
      attribution: { method: string };
    }[];
  };
}
