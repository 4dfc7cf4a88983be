/**
 * Issue 21.3: two api processes and two workers (the built service, as child processes) on one
 * PostgreSQL and the machine's NATS JetStream. Envelopes are published to JetStream while HTTP ingest
 * runs on both api processes; the worker leading the JetStream consumer is SIGKILLed twice and an api
 * process once. Afterwards every envelope is in the log exactly once, every attempt has its one set of
 * commissions, each projection and the consumer ran in one worker at a time (lease_acquisitions), the
 * audit verification is consistent, and two identical payout batches sent to both api processes at
 * once make one batch.
 * Short by default (CI); RELIABILITY_LONG=1 sends 50,000 envelopes and writes
 * bench/results/multi-process-long.json. RELIABILITY_SEED=<n> replays a run.
 * Waits end on a lack of progress, not on a clock: on 2 shared cores the JetStream consumer (one worker,
 * one batch at a time, its event loop shared with every projection) can trail HTTP ingest by far more
 * than the sending took, and a fixed deadline failed the long run on a busy machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { TestStream } from '../support/nats';
import { RetryingClient } from '../support/retrying-client';
import { ROOT, ServiceProcess, buildService, freePort } from '../support/service-process';
import { type TestDatabase, createTestDatabase } from '../support/test-database';
import { LaneSender, auditVerify, checkEverything, waitForProjections, waitWhileProgressing } from './checks';
import { ADMIN_KEY, configureCommissions } from './reliability-setup';
import { type WireEnvelope, generateWorkload, seededRandom } from './workload';

const LONG = process.env['RELIABILITY_LONG'] === '1';
const PLAN = LONG ? { events: 50_000, lanes: 8 } : { events: 2_000, lanes: 4 };
const SEED = Number(process.env['RELIABILITY_SEED'] ?? Math.floor(Math.random() * 1_000_000_000));
/** Short, so that what a killed worker held comes back soon. */
const ACK_WAIT_SECONDS = 3;
/** A wait fails once what it waits for has not moved for this long (a hang, not a slow machine). */
const STALL_MS = 180_000;
/** Starting the service on a machine busy with other work can take a while. */
const START_TIMEOUT_MS = 180_000;

let database: TestDatabase;
let stream: TestStream;
const apis: ServiceProcess[] = [];
const workers: ServiceProcess[] = [];

/** pid -> when the test sent it SIGKILL or SIGTERM (ms since the epoch): it held nothing after that. */
const endedAt = new Map<number, number>();
/** Every pid a role ran as. */
const pidsOf = { api: new Set<number>(), worker: new Set<number>() };

async function start(process: ServiceProcess, role: 'api' | 'worker'): Promise<void> {
  await process.start(START_TIMEOUT_MS);
  pidsOf[role].add(process.pid!);
}

async function kill(process: ServiceProcess): Promise<void> {
  endedAt.set(process.pid!, Date.now());
  await process.kill();
}

async function withDatabase<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

interface Acquisition {
  lease: string;
  holder: string;
  pid: number;
  role: string;
  at: number;
}

async function acquisitions(): Promise<Acquisition[]> {
  return withDatabase(async (client) => {
    const { rows } = await client.query<{ lease: string; holder: string; at: Date }>(
      'SELECT lease, holder, acquired_at AS at FROM lease_acquisitions ORDER BY id',
    );
    return rows.map((row) => ({
      lease: row.lease,
      holder: row.holder,
      role: row.holder.split('@')[0]!,
      pid: Number(row.holder.split(':').pop()),
      at: row.at.getTime(),
    }));
  });
}

/** The worker that leads the JetStream consumer now. */
async function consumerLeader(): Promise<ServiceProcess> {
  const deadline = Date.now() + STALL_MS;
  for (;;) {
    const last = (await acquisitions()).filter((a) => a.lease.startsWith('consumer:')).pop();
    const leader = workers.find((w) => w.pid !== null && w.pid === last?.pid);
    if (leader) return leader;
    if (Date.now() > deadline) throw new Error('no worker leads the JetStream consumer');
    await sleep(100);
  }
}

beforeAll(async () => {
  const main = await buildService();
  database = await createTestDatabase();
  stream = await TestStream.open('multi');
  await stream.create();
  const env = (role: string) => ({
    ROLE: role,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    LOG_LEVEL: 'warn',
    ...stream.env({ NATS_ACK_WAIT: String(ACK_WAIT_SECONDS), NATS_BATCH_SIZE: '100' }),
  });
  for (let i = 0; i < 2; i++) {
    const api = new ServiceProcess(main, { port: await freePort(), env: env('api'), adminApiKey: ADMIN_KEY });
    apis.push(api);
    await start(api, 'api');
  }
  for (let i = 0; i < 2; i++) {
    const worker = new ServiceProcess(main, {
      port: await freePort(),
      env: env('worker'),
      adminApiKey: ADMIN_KEY,
    });
    workers.push(worker);
    await start(worker, 'worker');
  }
}, 900_000);

afterAll(async () => {
  await Promise.all([...apis, ...workers].map((p) => p.stop()));
  await stream?.close();
  await database?.drop();
}, 120_000);

it('serves HTTP for /health only from a worker, and readiness from every role', async () => {
  const worker = workers[0]!;
  expect((await fetch(`${worker.baseUrl}/health/ready`)).status).toBe(200);
  const refused = await fetch(`${worker.baseUrl}/v1/settings`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  expect(refused.status).toBe(404);
  expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const ready = (await (await fetch(`${apis[0]!.baseUrl}/health/ready`)).json()) as Record<string, unknown>;
  expect(ready).toMatchObject({
    status: 'ready',
    role: 'api',
    migrations: 'done',
    components: { http: 'running' },
  });
  const workerReady = (await (await fetch(`${worker.baseUrl}/health/ready`)).json()) as Record<
    string,
    unknown
  >;
  expect(workerReady).toMatchObject({
    role: 'worker',
    components: { projections: 'running', 'jetstream-ingest': 'running' },
  });
});

it(
  `keeps every envelope exactly once with 2 api and 2 worker processes through 3 SIGKILLs (${PLAN.events} envelopes)`,
  async () => {
    const startedAt = Date.now();
    const loadAtStart = loadavg()[0]!;
    console.log(`multi-process test: seed ${SEED} (RELIABILITY_SEED=${SEED} replays the workload)`);
    const clients = apis.map(
      (api) =>
        new RetryingClient({
          baseUrl: api.baseUrl,
          apiKey: ADMIN_KEY,
          timeoutMs: 30_000,
          // Long enough to outlast the restart of a killed api process on a busy machine.
          retryForMs: START_TIMEOUT_MS + 120_000,
          maxBackoffMs: 500,
        }),
    );
    const { partners, linkId } = await configureCommissions(clients[0]!);
    const workload = generateWorkload({
      seed: SEED,
      events: PLAN.events,
      lanes: PLAN.lanes,
      runId: `multi${SEED}`,
      partners,
      linkId,
    });
    // Half of the lanes over HTTP (one lane per api process at a time), half through JetStream.
    const httpLanes = workload.lanes.filter((_, i) => i % 2 === 0);
    const brokerLanes = workload.lanes.filter((_, i) => i % 2 === 1);
    const brokerEnvelopes = brokerLanes.reduce((n, lane) => n + lane.length, 0);
    const httpEnvelopes = workload.eventCount - brokerEnvelopes;
    const senders = clients.map((client, i) => new LaneSender(client, seededRandom(SEED + 10 + i)));
    const random = seededRandom(SEED + 2);

    let published = 0;
    const publishing = (async () => {
      // Round robin over the broker lanes, each lane in its own order, a chunk at a time.
      const cursors = brokerLanes.map(() => 0);
      while (cursors.some((c, i) => c < brokerLanes[i]!.length)) {
        for (let i = 0; i < brokerLanes.length; i++) {
          const chunk: WireEnvelope[] = brokerLanes[i]!.slice(cursors[i], cursors[i]! + 25);
          cursors[i]! += chunk.length;
          for (const envelope of chunk) await stream.publish(envelope);
          published += chunk.length;
        }
        await sleep(LONG ? 5 : 20);
      }
    })();
    let httpOver = false;
    const sending = Promise.all(
      httpLanes.map((lane, i) => senders[i % senders.length]!.sendLane(lane)),
    ).finally(() => {
      httpOver = true;
    });
    const acknowledged = () => senders.reduce((n, s) => n + s.acknowledged.size, 0);

    const kills: { role: string; pid: number; atAcknowledged: number; underLoad: boolean }[] = [];
    const killing = (async () => {
      const plan: ('worker' | 'api')[] = ['worker', 'api', 'worker'];
      for (let k = 0; k < plan.length; k++) {
        const threshold = (httpEnvelopes * (k + 0.3 + random() * 0.4)) / plan.length;
        while (acknowledged() < threshold && !httpOver) await sleep(10);
        const victim = plan[k] === 'worker' ? await consumerLeader() : apis[1]!;
        kills.push({
          role: plan[k]!,
          pid: victim.pid!,
          atAcknowledged: acknowledged(),
          underLoad: !httpOver,
        });
        await kill(victim);
        await sleep(random() * 500);
        await start(victim, plan[k]!);
      }
    })();
    const outcomes = await Promise.allSettled([sending, publishing, killing]);
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    const sendingSeconds = (Date.now() - startedAt) / 1000;

    // Everything published is consumed: nothing pending, nothing awaiting an ack, nothing dead-lettered.
    type ConsumerView = {
      numPending: number;
      numAckPending: number;
      numRedelivered: number;
      deadLettered: number;
    };
    const consumer = (await waitWhileProgressing(
      'the consumer did not drain',
      async () => (await clients[0]!.get<ConsumerView[]>('/v1/admin/consumers')).body[0],
      (view) => (view ? view.numPending + view.numAckPending : Number.MAX_SAFE_INTEGER),
      STALL_MS,
    ))!; // only an answer with nothing left ends the wait
    const drainedSeconds = (Date.now() - startedAt) / 1000;
    await waitForProjections(clients[0]!, STALL_MS);
    const deliveries = (await stream.consumerInfo()).deliveries;

    const everyEnvelope = new Set([
      ...senders.flatMap((s) => [...s.acknowledged]),
      ...brokerLanes.flatMap((lane) => lane.map((e) => e.eventId)),
    ]);
    const findings = await checkEverything(clients[1]!, workload, everyEnvelope);
    const verification = await auditVerify(clients[1]!, LONG ? 1_800_000 : 180_000);

    // Leases: one holder at a time, always a worker; a new holder only once the previous one was gone.
    const leases = await acquisitions();
    const overlaps: string[] = [];
    const byLease = new Map<string, Acquisition[]>();
    for (const a of leases) byLease.set(a.lease, [...(byLease.get(a.lease) ?? []), a]);
    for (const [lease, list] of byLease) {
      for (let i = 1; i < list.length; i++) {
        const previous = list[i - 1]!;
        if (previous.holder === list[i]!.holder) continue; // taken again by the same process
        const ended = endedAt.get(previous.pid);
        if (ended === undefined || ended > list[i]!.at)
          overlaps.push(`${lease}: ${list[i]!.holder} took it while ${previous.holder} still ran`);
      }
    }
    const leaseChanges = Object.fromEntries(
      [...byLease].map(([lease, list]) => [lease, list.map((a) => a.holder)]),
    );

    const figures = {
      variant: LONG ? 'long' : 'short',
      seed: SEED,
      processes: { api: 2, worker: 2 },
      envelopes: workload.eventCount,
      throughHttp: httpEnvelopes,
      throughJetStream: brokerEnvelopes,
      publishedToJetStream: published,
      httpRequests: clients.reduce((n, c) => n + c.stats.requests, 0),
      httpRetriedRequests: clients.reduce((n, c) => n + c.stats.retries, 0),
      httpAnsweredDuplicateOnRetry: senders.reduce((n, s) => n + s.duplicatesAnswered, 0),
      kills,
      // Every delivery JetStream made, redeliveries (after a kill, or a batch slower than the ack wait) included.
      jetStreamDeliveries: deliveries,
      jetStreamRedeliveries: deliveries - published,
      deadLettered: consumer.deadLettered,
      eventsLost: findings.lost.length,
      duplicates: findings.duplicated.length,
      otherProblems: findings.problems.length,
      eventsInLog: findings.logEvents,
      collectedAttemptsChecked: findings.attemptsChecked,
      leaseOverlaps: overlaps.length,
      leaseChanges,
      auditConsistent: verification.consistent,
      sendingSeconds,
      drainedSeconds,
      totalSeconds: (Date.now() - startedAt) / 1000,
      // The 1-minute load average of the machine (2 cores, shared with other work) at start and end.
      loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0]! },
    };
    console.log(`multi-process test figures:\n${JSON.stringify(figures, null, 2)}`);
    if (LONG) {
      const dir = join(ROOT, 'bench/results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'multi-process-long.json'), `${JSON.stringify(figures, null, 2)}\n`);
    }

    expect(kills.map((k) => k.role)).toEqual(['worker', 'api', 'worker']);
    expect(published).toBe(brokerEnvelopes);
    expect(consumer.deadLettered).toBe(0);
    expect(findings.lost).toEqual([]);
    expect(findings.duplicated).toEqual([]);
    expect(findings.problems.slice(0, 20)).toEqual([]);
    expect(overlaps).toEqual([]);
    expect(leases.filter((a) => a.role !== 'worker')).toEqual([]);
    expect(leases.every((a) => pidsOf.worker.has(a.pid))).toBe(true);
    // The consumer failed over at each worker kill.
    expect(byLease.get(`consumer:${stream.stream}/${stream.consumer}`)!.length).toBeGreaterThanOrEqual(3);
    expect(verification.differences.slice(0, 20)).toEqual([]);
    expect(verification.consistent).toBe(true);
  },
  // Only a backstop: every wait above ends on a lack of progress.
  LONG ? 6 * 60 * 60_000 : 30 * 60_000,
);

it('reads its own writes with waitFor on another api process (the checkpoints are in the database)', async () => {
  const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
  const written = await fetch(`${apis[1]!.baseUrl}/v1/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      events: [
        {
          eventId: `multi-${SEED}-late-click`,
          type: 'LinkClicked',
          occurredAt: '2026-12-31T12:00:00Z',
          data: { partnerId: 'top-1', linkId: 'reliability-link', visitorId: `v-late-${SEED}` },
        },
      ],
    }),
  });
  expect(written.status).toBe(200);
  const { position } = (await written.json()) as { position: string };
  const report = await fetch(
    `${apis[0]!.baseUrl}/v1/reports/link-stats?from=2026-12-31&to=2026-12-31&partnerId=top-1&waitFor=${position}`,
    { headers },
  );
  expect(report.status).toBe(200);
  const rows = ((await report.json()) as { rows: { clicks: number }[] }).rows;
  expect(rows.reduce((n, r) => n + r.clicks, 0)).toBeGreaterThanOrEqual(1);
}, 60_000);

it('makes one payout batch of two identical requests sent to both api processes at once', async () => {
  const body = { method: 'due', payDate: '2027-06-15', paymentType: 'PayPal', batchId: `multi-${SEED}` };
  const answers = await Promise.all(
    apis.map((api) =>
      fetch(`${api.baseUrl}/v1/payouts/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })),
    ),
  );
  expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  const made = answers.find((a) => a.status === 201)!.body as { payments: { partnerId: string }[] };
  expect(made.payments.length).toBeGreaterThan(0);
  const detail = await fetch(`${apis[0]!.baseUrl}/v1/payouts/batches/${body.batchId}`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  expect(detail.status).toBe(200);
  const payments = ((await detail.json()) as { payments: { partnerId: string }[] }).payments;
  expect(new Set(payments.map((p) => p.partnerId)).size).toBe(payments.length);
  expect(payments.length).toBe(made.payments.length);
}, 60_000);
