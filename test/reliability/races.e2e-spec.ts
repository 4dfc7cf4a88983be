/**
 * Issue 9.3: many clients at once send conflicting facts about the same attempts (collected and declined,
 * collections under different eventIds, refunds adding up to more than was collected, one eventId for
 * different content). Whatever the interleaving: one outcome per attempt, never more refunded than
 * collected, one set of commissions, every request answered (no 5xx), and the read models consistent.
 */
import { Client } from 'pg';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  type Envelope,
  type IngestResultBody,
  attempt,
  click,
  collect,
  createLink,
  createPartner,
  createProgram,
  decline,
  getAttempt,
  ingestAll,
  refund,
  uniqueId,
} from '../support/fixtures';

let t: TestApp;
let db: Client;
let partnerId: string;
let parentId: string;
let linkId: string;

beforeAll(async () => {
  t = await startTestApp();
  db = new Client({ connectionString: t.database.url });
  await db.connect();
  const program = await createProgram(t, { default: { sale: [{ percent: '10' }, { percent: '5' }] } });
  parentId = await createPartner(t, { programIds: [program], leadCookieDays: null });
  partnerId = await createPartner(t, { programIds: [program], parentId, leadCookieDays: null });
  linkId = (await createLink(t)).id;
});

afterAll(async () => {
  await db.end();
  await t.close();
});

interface Sent {
  readonly status: number;
  readonly results: IngestResultBody[];
  readonly problem?: unknown;
}

/** One request per element, all at once; every answer must be a 200 (a 5xx or a hang fails the test). */
async function race(requests: Envelope[][]): Promise<Sent[]> {
  const sent = await Promise.all(
    requests.map(async (envelopes) => {
      const events = envelopes.map((e) => ({ eventId: e.eventId ?? uniqueId('evt'), ...e }));
      const response = await t.admin().post('/v1/events').timeout(30_000).send({ events });
      return {
        status: response.status,
        results: (response.body.results ?? []) as IngestResultBody[],
        ...(response.status === 200 ? {} : { problem: response.body as unknown }),
      };
    }),
  );
  expect(sent.filter((s) => s.status !== 200)).toEqual([]);
  return sent;
}

const withId = (envelope: Envelope, eventId: string): Envelope => ({ ...envelope, eventId });

/** Attempts of 100.00 (one line), attributed to `partnerId` (whose parent earns level 2). */
async function pendingAttempts(count: number): Promise<string[]> {
  const visitorId = uniqueId('visitor');
  const ids = Array.from({ length: count }, () => uniqueId('attempt'));
  await ingestAll(t, [
    click('2026-03-01T10:00:00Z', { partnerId, linkId, visitorId }),
    ...ids.map((attemptId) =>
      attempt('2026-03-01T10:05:00Z', {
        attemptId,
        contactId: uniqueId('contact'),
        visitorId,
        items: [{ productId: 'widget', quantity: 1, unitPrice: 10_000 }],
      }),
    ),
  ]);
  return ids;
}

async function collectedAttempt(): Promise<string> {
  const [attemptId] = await pendingAttempts(1);
  await ingestAll(t, [collect('2026-03-01T10:06:00Z', attemptId!)]);
  return attemptId!;
}

async function logOf(attemptId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const { rows } = await db.query<{ type: string; data: Record<string, unknown> }>(
    `SELECT type, data FROM events WHERE data->>'attemptId' = $1 ORDER BY transaction_id, global_position`,
    [attemptId],
  );
  return rows;
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('conflicting outcomes', () => {
  it('settles every attempt on exactly one outcome, with one set of commissions', async () => {
    const attempts = await pendingAttempts(10);
    const single: Envelope[][] = attempts.flatMap((id) => [
      ...[1, 2, 3].map(() => [collect('2026-03-01T11:00:00Z', id)]),
      ...[1, 2].map(() => [decline('2026-03-01T11:00:00Z', id)]),
    ]);
    // Batches that touch every attempt, in different orders: transactions that lock the same streams
    // in opposite orders, so deadlocks are detected and retried.
    const mixed: Envelope[][] = [1, 2, 3, 4].map((n) =>
      shuffle(attempts).map((id) => (n % 2 ? collect : decline)('2026-03-01T11:00:00Z', id)),
    );
    const sent = await race(shuffle([...single, ...mixed]));

    const results = sent.flatMap((s) => s.results);
    for (const attemptId of attempts) {
      const log = await logOf(attemptId);
      const outcomes = log.filter((e) => e.type === 'PaymentCollected' || e.type === 'PaymentDeclined');
      expect(outcomes).toHaveLength(1);
      const view = await getAttempt(t, attemptId);
      const commissionIds = log
        .filter((e) => e.type === 'CommissionEarned')
        .map((e) => e.data['commissionId']);
      if (outcomes[0]!.type === 'PaymentCollected') {
        expect(view.status).toBe('collected');
        expect(commissionIds.sort()).toEqual([`${attemptId}:sale:L1:0`, `${attemptId}:sale:L2:0`]);
        expect(view.commissions.map((c) => [c.partnerId, c.amount])).toEqual([
          [partnerId, 1000],
          [parentId, 500],
        ]);
      } else {
        expect(view.status).toBe('declined');
        expect(commissionIds).toEqual([]);
        expect(view.commissions).toEqual([]);
      }
    }
    // One accepted outcome envelope per attempt; every other one was refused as a second outcome.
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(attempts.length);
    const refused = results.filter((r) => r.status !== 'accepted');
    expect(refused.every((r) => r.status === 'rejected' && r.error?.status === 422)).toBe(true);
    expect(
      refused.every((r) => ['already-collected', 'already-declined'].includes(r.error?.code ?? '')),
    ).toBe(true);
  });

  // A retry racing its own first delivery: the window between looking up the eventId and reading the
  // stream is short, so the race is run on several attempts at once.
  it('applies a collection sent many times under one eventId once; other content under it is a conflict', async () => {
    const attempts = await pendingAttempts(5);
    const eventIds = new Map(attempts.map((id) => [id, uniqueId('collect')]));
    const sent = await race(
      shuffle(
        attempts.flatMap((attemptId) => [
          ...Array.from({ length: 8 }, () => [
            withId(collect('2026-03-01T11:00:00Z', attemptId), eventIds.get(attemptId)!),
          ]),
          ...Array.from({ length: 4 }, () => [
            withId(decline('2026-03-01T11:00:00Z', attemptId), eventIds.get(attemptId)!),
          ]),
        ]),
      ),
    );
    for (const attemptId of attempts) {
      const results = sent.flatMap((s) => s.results).filter((r) => r.eventId === eventIds.get(attemptId));
      expect(results.filter((r) => r.status === 'accepted')).toHaveLength(1);
      const log = await logOf(attemptId);
      const outcome = log.filter((e) => e.type === 'PaymentCollected' || e.type === 'PaymentDeclined');
      expect(outcome).toHaveLength(1);
      // The same content again is a duplicate (never "already collected"); other content under the id is a 409.
      const winner = outcome[0]!.type === 'PaymentCollected' ? 8 : 4;
      expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(winner - 1);
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused).toHaveLength(12 - winner);
      expect(refused.every((r) => r.error?.status === 409 && r.error.code === 'event-id-conflict')).toBe(
        true,
      );
      expect(log.filter((e) => e.type === 'CommissionEarned')).toHaveLength(winner === 8 ? 2 : 0);
    }
  });

  it('records an attempt sent concurrently under different eventIds once', async () => {
    const attemptId = uniqueId('attempt');
    const body = attempt('2026-03-01T10:05:00Z', {
      attemptId,
      orderId: `order-${attemptId}`,
      contactId: uniqueId('contact'),
      items: [{ productId: 'widget', quantity: 1, unitPrice: 10_000 }],
    });
    const sent = await race(Array.from({ length: 10 }, () => [body]));
    const statuses = sent.flatMap((s) => s.results.map((r) => r.status));
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(9);
    expect((await logOf(attemptId)).filter((e) => e.type === 'PurchaseAttempted')).toHaveLength(1);
  });
});

describe('parallel refunds', () => {
  it('never refunds more than was collected, and claws back in proportion', async () => {
    const attemptId = await collectedAttempt(); // 10000 collected; commissions 1000 and 500
    const sent = await race(
      Array.from({ length: 10 }, () => [refund('2026-03-02T09:00:00Z', attemptId, 1_500)]),
    );
    const results = sent.flatMap((s) => s.results);
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(6); // 6 x 1500 = 9000 <= 10000
    const refused = results.filter((r) => r.status !== 'accepted');
    expect(refused.every((r) => r.error?.code === 'refund-exceeds-collected')).toBe(true);

    const view = await getAttempt(t, attemptId);
    expect(view.refunded).toBe(9_000);
    expect(view.commissions.map((c) => [c.amount, c.clawedBack])).toEqual([
      [1000, 900],
      [500, 450],
    ]);
    const log = await logOf(attemptId);
    expect(log.filter((e) => e.type === 'RefundIssued')).toHaveLength(6);
  });

  it('accepts one of several full refunds sent at once, clawing back every commission exactly', async () => {
    const attemptId = await collectedAttempt();
    const sent = await race(
      Array.from({ length: 6 }, () => [refund('2026-03-02T09:00:00Z', attemptId, 10_000)]),
    );
    expect(sent.flatMap((s) => s.results).filter((r) => r.status === 'accepted')).toHaveLength(1);
    const view = await getAttempt(t, attemptId);
    expect(view.refunded).toBe(10_000);
    expect(view.commissions.every((c) => c.clawedBack === c.amount)).toBe(true);
  });

  it('applies one refundId once, whatever the eventIds, and refuses it with another amount', async () => {
    const attemptId = await collectedAttempt();
    const refundId = uniqueId('refund');
    const sent = await race([
      ...Array.from({ length: 6 }, () => [refund('2026-03-02T09:00:00Z', attemptId, 2_000, refundId)]),
      ...Array.from({ length: 3 }, () => [refund('2026-03-02T09:00:00Z', attemptId, 3_000, refundId)]),
    ]);
    const results = sent.flatMap((s) => s.results);
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(1);
    const view = await getAttempt(t, attemptId);
    expect([2_000, 3_000]).toContain(view.refunded);
    const winners = view.refunded === 2_000 ? 6 : 3;
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(winners - 1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(9 - winners);
    expect(refused.every((r) => r.error?.code === 'refund-id-conflict' && r.error.status === 409)).toBe(true);
    expect((await logOf(attemptId)).filter((e) => e.type === 'RefundIssued')).toHaveLength(1);
  });
});

describe('after the races', () => {
  it('has no commission twice and read models that equal a replay of the log', async () => {
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT data->>'commissionId' FROM events WHERE type = 'CommissionEarned'
         GROUP BY 1 HAVING count(*) > 1) twice`,
    );
    expect(Number(rows[0]!.n)).toBe(0);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const projections = await t.admin().get('/v1/admin/projections').expect(200);
      if ((projections.body as { lag: number }[]).every((p) => p.lag === 0)) break;
      if (Date.now() > deadline) throw new Error(`projections lag: ${JSON.stringify(projections.body)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const verify = await t.admin().get('/v1/audit/verify').expect(200);
    expect(verify.body.differences).toEqual([]);
    expect(verify.body.consistent).toBe(true);
  });
});
