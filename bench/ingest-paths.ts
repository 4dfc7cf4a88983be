/**
 * Ingest through each path on the same running service and database, one slice of the workload's mix
 * each (fresh ids, same partners and links): POST /v1/events from one client, from two clients to one
 * process, from two clients to two api processes, and through NATS JetStream (published by the bench,
 * consumed by the service's worker role). Envelopes/s from the first envelope sent to the last one
 * stored, so the paths compare directly.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Api, type IngestAnswer } from './http';
import type { BenchStream } from './jetstream';
import type { Log } from './scenario';
import { perSecond, round, since } from './stats';
import { type Envelope, Workload, type WorkloadShape } from './workload';

export interface IngestPathResult {
  readonly path: string;
  readonly processes: number;
  readonly clients: number;
  readonly envelopes: number;
  readonly ms: number;
  readonly envelopesPerSecond: number;
  readonly rejected: number;
}

export interface IngestPaths {
  readonly batchSize: number;
  readonly envelopesPerPath: number;
  readonly paths: IngestPathResult[];
  /** JetStream only: how fast the bench published (stored by JetStream), before the service consumed. */
  readonly jetStreamPublishPerSecond: number | null;
  readonly skipped: string[];
}

/** Keys whose values name things of one slice; partners, links and products are shared. */
const SLICE_KEYS = new Set(['visitorId', 'contactId', 'attemptId', 'orderId', 'subscriptionId', 'refundId']);

function withPrefix(envelope: Envelope, prefix: string): Envelope {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(envelope.data))
    data[key] = SLICE_KEYS.has(key) && typeof value === 'string' ? `${prefix}${value}` : value;
  if (typeof data['email'] === 'string') data['email'] = `${prefix}${data['email']}`;
  return { ...envelope, eventId: `${prefix}${envelope.eventId}`, data } as Envelope;
}

/** A slice of the workload's mix with its own ids. */
function slice(shape: WorkloadShape, index: number, envelopes: number): Envelope[] {
  const workload = new Workload({ ...shape, seed: shape.seed + 1000 + index, envelopes });
  const prefix = `path${index}.`;
  return [...workload.batches(1000)].flat().map((e) => withPrefix(e, prefix));
}

/**
 * Two halves that depend on nothing of each other: a contact's envelopes (clicks of its visitor, opt-in,
 * attempts, outcomes and refunds of its attempts) all land in the same half, in their order.
 */
function halves(envelopes: readonly Envelope[]): [Envelope[], Envelope[]] {
  const halfOfAttempt = new Map<string, number>();
  const out: [Envelope[], Envelope[]] = [[], []];
  const digits = (value: unknown) => Number(/(\d+)$/.exec(String(value))?.[1] ?? 0);
  for (const envelope of envelopes) {
    const data = envelope.data as Record<string, unknown>;
    let half: number;
    if (envelope.type === 'LinkClicked') half = digits(data['visitorId']) % 2;
    else if (envelope.type === 'ContactOptedIn') half = digits(data['contactId']) % 2;
    else if (envelope.type === 'PurchaseAttempted') {
      half = digits(data['contactId']) % 2;
      halfOfAttempt.set(String(data['attemptId']), half);
    } else half = halfOfAttempt.get(String(data['attemptId'])) ?? 0;
    out[half]!.push(envelope);
  }
  return out;
}

async function sendAll(api: Api, envelopes: readonly Envelope[], batchSize: number): Promise<number> {
  let rejected = 0;
  for (let i = 0; i < envelopes.length; i += batchSize) {
    const answer = await api.post<IngestAnswer>(
      '/v1/events',
      { events: envelopes.slice(i, i + batchSize) },
      600_000,
    );
    rejected += answer.body.results.filter((r) => r.status === 'rejected').length;
  }
  return rejected;
}

interface ConsumerView {
  numPending: number;
  numAckPending: number;
  deadLettered: number;
}

async function consumerDrained(api: Api, timeoutMs: number): Promise<ConsumerView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api.get<ConsumerView[]>('/v1/admin/consumers');
    const consumer = body[0];
    if (consumer && consumer.numPending === 0 && consumer.numAckPending === 0) return consumer;
    if (Date.now() > deadline)
      throw new Error(`the JetStream consumer did not drain: ${JSON.stringify(body)}`);
    await sleep(50);
  }
}

export async function compareIngestPaths(options: {
  readonly api: Api;
  /** Starts a second process with ROLE=api on the same database; answers its client. */
  readonly secondApi: () => Promise<Api>;
  readonly stream: BenchStream | null;
  readonly shape: WorkloadShape;
  readonly envelopesPerPath: number;
  readonly batchSize: number;
  readonly log: Log;
}): Promise<IngestPaths> {
  const { api, batchSize, envelopesPerPath: count, log } = options;
  const paths: IngestPathResult[] = [];
  const skipped: string[] = [];
  const measure = async (
    path: string,
    processes: number,
    clients: number,
    envelopes: number,
    run: () => Promise<number>,
  ) => {
    const started = performance.now();
    const rejected = await run();
    const ms = since(started);
    const result = {
      path,
      processes,
      clients,
      envelopes,
      ms: round(ms),
      envelopesPerSecond: perSecond(envelopes, ms),
      rejected,
    };
    log(`  ${path}: ${result.envelopesPerSecond} envelopes/s (${rejected} rejected)`);
    paths.push(result);
  };

  const one = slice(options.shape, 1, count);
  await measure('HTTP, 1 process, 1 client', 1, 1, one.length, () => sendAll(api, one, batchSize));

  const [a, b] = halves(slice(options.shape, 2, count));
  await measure('HTTP, 1 process, 2 clients', 1, 2, a.length + b.length, async () =>
    (await Promise.all([sendAll(api, a, batchSize), sendAll(api, b, batchSize)])).reduce((x, y) => x + y, 0),
  );

  const second = await options.secondApi();
  const [c, d] = halves(slice(options.shape, 3, count));
  await measure('HTTP, 2 api processes, 1 client each', 2, 2, c.length + d.length, async () =>
    (await Promise.all([sendAll(api, c, batchSize), sendAll(second, d, batchSize)])).reduce(
      (x, y) => x + y,
      0,
    ),
  );

  let publishPerSecond: number | null = null;
  if (options.stream) {
    const stream = options.stream;
    const envelopes = slice(options.shape, 4, count);
    await measure('NATS JetStream, consumed by the worker role', 1, 1, envelopes.length, async () => {
      const started = performance.now();
      await stream.publishAll(envelopes);
      publishPerSecond = perSecond(envelopes.length, since(started));
      const consumer = await consumerDrained(api, 3_600_000);
      return consumer.deadLettered;
    });
  } else {
    skipped.push('NATS JetStream (no NATS answered at BENCH_NATS_URL)');
  }
  return { batchSize, envelopesPerPath: count, paths, jetStreamPublishPerSecond: publishPerSecond, skipped };
}
