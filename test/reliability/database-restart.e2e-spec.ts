/**
 * Issue 9.2: the service (a child process) runs on an embedded PostgreSQL that this test starts and stops.
 * The database goes away twice under ingest load and once with no traffic. Meanwhile /health answers 503
 * and reads and writes answer a 503 problem (no 500, no hang); once it is back the service recovers on its
 * own within seconds, and every acknowledged event is in the log exactly once.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NoAnswerError, RetryingClient } from '../support/retrying-client';
import { DatabaseProcess, ROOT, ServiceProcess, buildService, freePort } from '../support/service-process';
import { LaneSender, auditVerify, checkEverything, waitForProjections } from './checks';
import { ADMIN_KEY, configureCommissions } from './reliability-setup';
import { generateWorkload, seededRandom } from './workload';

const SEED = Number(process.env['RELIABILITY_SEED'] ?? Math.floor(Math.random() * 1_000_000_000));
/** Long enough for the projection loops' backoff to grow well past a second. */
const IDLE_OUTAGE_SECONDS = 8;
/** What a client waits at most for any answer while the database is down. */
const CLIENT_TIMEOUT_MS = 8_000;

const dataDir = join(ROOT, `.data/reliability-db-restart-${process.pid}`);
let postgres: DatabaseProcess | undefined;
let service: ServiceProcess | undefined;

beforeAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  const main = await buildService();
  postgres = new DatabaseProcess(main, dataDir, await freePort());
  const url = await postgres.start();
  service = new ServiceProcess(main, {
    port: await freePort(),
    env: { DATABASE_URL: url },
    adminApiKey: ADMIN_KEY,
  });
  await service.start(90_000);
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

interface Answer {
  status: number;
  contentType: string;
  retryAfter: string | null;
  ms: number;
}

/** One request with the client timeout; a hang fails the test with its own message. */
async function answer(client: RetryingClient, method: string, path: string, body?: unknown): Promise<Answer> {
  const started = Date.now();
  try {
    const response = await client.once(method, path, body, CLIENT_TIMEOUT_MS);
    return {
      status: response.status,
      contentType: response.contentType,
      retryAfter: response.headers.get('retry-after'),
      ms: Date.now() - started,
    };
  } catch (error) {
    if (error instanceof NoAnswerError) {
      const state = service?.running ? 'running' : 'exited';
      throw new Error(
        `${method} ${path} did not answer: ${error.message}; the service has ${state}:\n${service?.logTail()}`,
        { cause: error },
      );
    }
    throw error;
  }
}

it('answers 503 while the database is down and recovers by itself when it is back', async () => {
  const running = service!;
  console.log(`database restart test: seed ${SEED} (RELIABILITY_SEED=${SEED} replays the workload)`);
  const client = new RetryingClient({
    baseUrl: running.baseUrl,
    apiKey: ADMIN_KEY,
    timeoutMs: CLIENT_TIMEOUT_MS,
    retryForMs: 120_000,
    maxBackoffMs: 500,
  });
  const probe = new RetryingClient({ baseUrl: running.baseUrl, apiKey: ADMIN_KEY });
  const { partners, linkId } = await configureCommissions(client);
  const workload = generateWorkload({
    seed: SEED,
    events: 1_500,
    lanes: 3,
    runId: `dbrestart${SEED}`,
    partners,
    linkId,
  });
  const sender = new LaneSender(client, seededRandom(SEED + 1), { abandonShare: 0.1 });
  const sending = Promise.all(workload.lanes.map((lane) => sender.sendLane(lane)));
  sending.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile

  const whileDown: { path: string; answer: Answer }[] = [];
  const recoverySeconds: number[] = [];
  let probes = 0;
  const probeBatch = () => ({
    events: [
      {
        eventId: `probe.${SEED}.${++probes}`,
        type: 'LinkClicked',
        occurredAt: '2026-02-01T00:00:00Z',
        data: { partnerId: 'top-1', linkId, visitorId: 'probe' },
      },
    ],
  });

  /** Stops PostgreSQL for `seconds`, probing all along, starts it again and waits for /health 200. */
  async function outage(seconds: number): Promise<void> {
    await postgres!.stop();
    const down = Date.now();
    while (Date.now() - down < seconds * 1000) {
      for (const [method, path, body] of [
        ['GET', '/health', undefined],
        ['POST', '/v1/events', probeBatch()],
        ['GET', '/v1/partners/top-1', undefined],
      ] as const) {
        whileDown.push({ path: `${method} ${path}`, answer: await answer(probe, method, path, body) });
      }
      await sleep(250);
    }
    await postgres!.start();
    const back = Date.now();
    for (;;) {
      const health = await answer(probe, 'GET', '/health');
      if (health.status === 200) break;
      if (Date.now() - back > 30_000)
        throw new Error(`/health still ${health.status} 30 s after the restart`);
      await sleep(100);
    }
    recoverySeconds.push((Date.now() - back) / 1000);
  }

  // Two outages under load, at a third and two thirds of the traffic...
  for (let n = 1; n <= 2; n++) {
    while (sender.acknowledged.size < (workload.eventCount * n) / 3) await sleep(5);
    await outage(3);
  }
  await sending;
  // ...and a longer one with no traffic at all: nothing wakes the service but its own retries.
  await outage(IDLE_OUTAGE_SECONDS);

  // Writes are accepted again, and nothing acknowledged was lost.
  const after = await answer(probe, 'POST', '/v1/events', probeBatch());
  await waitForProjections(client);
  const findings = await checkEverything(client, workload, sender.acknowledged);
  const verification = await auditVerify(client);
  console.log(
    `database restart figures: ${JSON.stringify({
      seed: SEED,
      answersWhileDown: whileDown.length,
      slowestAnswerWhileDownMs: Math.max(...whileDown.map((w) => w.answer.ms)),
      recoverySeconds,
      acknowledged: sender.acknowledged.size,
      retriedRequests: client.stats.retries,
      abandonedFirstDeliveries: sender.abandoned,
      answeredDuplicateOnRetry: sender.duplicatesAnswered,
      eventsLost: findings.lost.length,
      duplicates: findings.duplicated.length,
    })}`,
  );

  const unexpected = whileDown.filter(
    ({ path, answer: a }) =>
      a.status !== 503 || (path !== 'GET /health' && !a.contentType.startsWith('application/problem+json')),
  );
  expect(unexpected).toEqual([]);
  expect(whileDown.every(({ answer: a }) => a.retryAfter !== null)).toBe(true);
  expect(client.stats.serverErrors + client.stats.noAnswer).toBeGreaterThan(0); // the load did meet the outages
  expect(recoverySeconds.every((seconds) => seconds < 5)).toBe(true);
  expect(after.status).toBe(200);
  expect(sender.acknowledged.size).toBe(workload.eventCount);
  expect(findings.lost).toEqual([]);
  expect(findings.duplicated).toEqual([]);
  expect(findings.problems.slice(0, 20)).toEqual([]);
  expect(verification.differences.slice(0, 20)).toEqual([]);
  expect(verification.consistent).toBe(true);
}, 150_000);
