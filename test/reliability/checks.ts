/**
 * What the reliability tests check once the dust has settled, read only through the public API: the log
 * (GET /v1/audit/events), the attempts (GET /v1/attempts/:id), the projections and the audit verification.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RetryingClient } from '../support/retrying-client';
import type { WireEnvelope, Workload } from './workload';

export interface LogEvent {
  readonly position: string;
  readonly streamId: string;
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** Sends lanes of envelopes in batches; a batch is sent again until it is acknowledged (200). */
export class LaneSender {
  readonly acknowledged = new Set<string>();
  /** Envelopes answered "duplicate": their first delivery was committed but the answer was lost. */
  duplicatesAnswered = 0;
  batches = 0;
  /** Batches whose first delivery the client gave up waiting for. */
  abandoned = 0;

  constructor(
    private readonly client: RetryingClient,
    private readonly random: () => number,
    private readonly options: {
      batchSize?: { min: number; max: number };
      /** Share of batches first sent on a connection dropped within 100 ms, the answer never read. */
      abandonShare?: number;
    } = {},
  ) {}

  async sendLane(lane: readonly WireEnvelope[], shouldStop: () => boolean = () => false): Promise<void> {
    for (let i = 0; i < lane.length && !shouldStop();) {
      const { min, max } = this.options.batchSize ?? { min: 10, max: 60 };
      const size = min + Math.floor(this.random() * (max - min + 1));
      const batch = lane.slice(i, i + size);
      if (this.random() < (this.options.abandonShare ?? 0)) {
        // The service usually goes on and commits it: the retry below must then answer "duplicate".
        this.abandoned++;
        await this.client.abandon('POST', '/v1/events', { events: batch }, this.random() * 100);
      }
      const response = await this.client.post<{ results: { eventId: string; status: string }[] }>(
        '/v1/events',
        { events: batch },
      );
      this.batches++;
      if (response.status !== 200) {
        throw new Error(`a batch was refused: ${response.status} ${JSON.stringify(response.body)}`);
      }
      for (const result of response.body.results) {
        if (result.status === 'rejected') {
          throw new Error(`an envelope was rejected: ${JSON.stringify(result)}`);
        }
        if (result.status === 'duplicate') this.duplicatesAnswered++;
        this.acknowledged.add(result.eventId);
      }
      i += batch.length;
    }
  }
}

export async function readWholeLog(client: RetryingClient): Promise<LogEvent[]> {
  const events: LogEvent[] = [];
  let after = '';
  for (;;) {
    const response = await client.get<{ events: LogEvent[]; next: string }>(
      `/v1/audit/events?limit=1000${after ? `&after=${after}` : ''}`,
    );
    if (response.status !== 200) throw new Error(`audit events: ${response.status}`);
    if (response.body.events.length === 0) return events;
    events.push(...response.body.events);
    after = response.body.next;
  }
}

/**
 * Polls `read` until `remaining` of what it answers is 0. Fails only when that figure has not gone below
 * its lowest value for `stallMs`: a busy machine makes the wait longer, a consumer or projection that is
 * stuck still fails it (with the last answer in the message).
 */
export async function waitWhileProgressing<T>(
  what: string,
  read: () => Promise<T>,
  remaining: (answer: T) => number,
  stallMs: number,
): Promise<T> {
  let lowest = Number.POSITIVE_INFINITY;
  let progressedAt = Date.now();
  for (;;) {
    const answer = await read();
    const left = remaining(answer);
    if (left === 0) return answer;
    if (left < lowest) {
      lowest = left;
      progressedAt = Date.now();
    }
    if (Date.now() - progressedAt > stallMs)
      throw new Error(`${what}: no progress for ${stallMs} ms: ${JSON.stringify(answer)}`);
    await sleep(250);
  }
}

/** Waits until every projection runs with lag 0, as long as the lag keeps going down within `stallMs`. */
export async function waitForProjections(client: RetryingClient, stallMs = 60_000): Promise<void> {
  type State = { name: string; lag: number; status: string };
  await waitWhileProgressing(
    'projections did not catch up',
    async () => {
      const response = await client.get<State[]>('/v1/admin/projections');
      return response.status === 200 ? response.body : null;
    },
    // Not answering, or not running, counts as lag of its own so that it can never pass for caught up.
    (states) =>
      states === null
        ? Number.MAX_SAFE_INTEGER
        : states.reduce((n, p) => n + p.lag + (p.status === 'running' ? 0 : 1), 0),
    stallMs,
  );
}

export interface Findings {
  /** Acknowledged event ids missing from the log. */
  readonly lost: string[];
  /** Event ids found more than once in the log. */
  readonly duplicated: string[];
  /** Anything else that is wrong, one line each. */
  readonly problems: string[];
  readonly logEvents: number;
  readonly attemptsChecked: number;
}

interface AttemptView {
  status: string;
  total: number;
  refunded: number;
  commissions: { commissionId: string; amount: number; clawedBack: number }[];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Every acknowledged event exactly once in the log; per attempt one outcome, one set of commissions, the
 * refunds that were sent and never more than collected; the attempt read model saying the same.
 */
export async function checkEverything(
  client: RetryingClient,
  workload: Workload,
  acknowledged: ReadonlySet<string>,
): Promise<Findings> {
  const log = await readWholeLog(client);
  const counts = new Map<string, number>();
  for (const event of log) counts.set(event.eventId, (counts.get(event.eventId) ?? 0) + 1);
  const lost = [...acknowledged].filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  const problems: string[] = [];

  const byAttempt = new Map<string, LogEvent[]>();
  for (const event of log) {
    const attemptId = event.data['attemptId'];
    if (typeof attemptId !== 'string') continue;
    const list = byAttempt.get(attemptId) ?? [];
    list.push(event);
    byAttempt.set(attemptId, list);
  }

  const collected: string[] = [];
  for (const expected of workload.attempts.values()) {
    const events = byAttempt.get(expected.attemptId) ?? [];
    const ofType = (type: string) => events.filter((e) => e.type === type);
    const outcomes = [...ofType('PaymentCollected'), ...ofType('PaymentDeclined')];
    const commissionIds = ofType('CommissionEarned').map((e) => String(e.data['commissionId']));
    const refundIds = ofType('RefundIssued').map((e) => String(e.data['refundId']));
    const where = `attempt ${expected.attemptId}`;
    if (ofType('PurchaseAttempted').length !== 1)
      problems.push(`${where}: ${ofType('PurchaseAttempted').length} PurchaseAttempted events`);
    const wantedOutcome =
      expected.outcome === 'collected'
        ? ['PaymentCollected']
        : expected.outcome === 'declined'
          ? ['PaymentDeclined']
          : [];
    if (
      !sameSet(
        outcomes.map((e) => e.type),
        wantedOutcome,
      )
    )
      problems.push(`${where}: outcomes ${outcomes.map((e) => e.type).join(',') || 'none'}`);
    const wantedCommissions = expected.outcome === 'collected' ? expected.commissionIds : [];
    if (!sameSet(commissionIds, wantedCommissions))
      problems.push(`${where}: commissions in the log ${commissionIds.join(',') || 'none'}`);
    if (
      !sameSet(
        refundIds,
        expected.refunds.map((r) => r.refundId),
      )
    )
      problems.push(`${where}: refunds in the log ${refundIds.join(',') || 'none'}`);
    if (expected.outcome === 'collected') collected.push(expected.attemptId);
  }

  // The attempt read model (written in the same transaction as the events), a few requests at a time.
  const queue = [...collected];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let attemptId = queue.shift(); attemptId !== undefined; attemptId = queue.shift()) {
        const expected = workload.attempts.get(attemptId)!;
        const response = await client.get<AttemptView>(`/v1/attempts/${encodeURIComponent(attemptId)}`);
        const where = `GET /v1/attempts/${attemptId}`;
        if (response.status !== 200) {
          problems.push(`${where}: ${response.status}`);
          continue;
        }
        const view = response.body;
        const ids = view.commissions.map((c) => c.commissionId);
        const refunded = expected.refunds.reduce((sum, r) => sum + r.amount, 0);
        if (view.status !== 'collected') problems.push(`${where}: status ${view.status}`);
        if (new Set(ids).size !== ids.length)
          problems.push(`${where}: a commission id twice: ${ids.join(',')}`);
        if (!sameSet(ids, expected.commissionIds)) problems.push(`${where}: commissions ${ids.join(',')}`);
        if (view.refunded !== refunded)
          problems.push(`${where}: refunded ${view.refunded}, sent ${refunded}`);
        if (view.refunded > view.total) problems.push(`${where}: refunded ${view.refunded} > ${view.total}`);
        for (const c of view.commissions) {
          if (c.clawedBack > c.amount) problems.push(`${where}: ${c.commissionId} clawed back too much`);
          if (view.refunded === view.total && c.clawedBack !== c.amount)
            problems.push(`${where}: ${c.commissionId} not fully clawed back on a full refund`);
        }
      }
    }),
  );
  return { lost, duplicated, problems, logEvents: log.length, attemptsChecked: collected.length };
}

export async function auditVerify(
  client: RetryingClient,
  timeoutMs = 180_000,
): Promise<{ consistent: boolean; checkedEvents: number; differences: unknown[] }> {
  // Replays the whole log: slow on a long run, so one attempt with a generous timeout.
  const response = await client.once<{ consistent: boolean; checkedEvents: number; differences: unknown[] }>(
    'GET',
    '/v1/audit/verify',
    undefined,
    timeoutMs,
  );
  if (response.status !== 200) throw new Error(`audit verify: ${response.status}`);
  return response.body;
}
