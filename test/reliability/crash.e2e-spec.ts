/**
 * Issue 9.1: the built service runs as a child process while clients send commerce events in batches and
 * retry whatever was not acknowledged; the process is SIGKILLed at random moments and started again.
 * Afterwards every acknowledged event is in the log exactly once, no attempt has two outcomes or two sets
 * of commissions, and the audit verification (hash chain and read models) is consistent.
 * Short by default (CI); RELIABILITY_LONG=1 runs the long variant and writes bench/results/reliability-long.json.
 * RELIABILITY_SEED=<n> replays a run.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RetryingClient } from '../support/retrying-client';
import { ROOT, ServiceProcess, buildService, freePort, stopPostgresOn } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { LaneSender, auditVerify, checkEverything, waitForProjections } from './checks';
import { ADMIN_KEY, configureCommissions } from './reliability-setup';
import { generateWorkload, seededRandom } from './workload';

const LONG = process.env['RELIABILITY_LONG'] === '1';
const PLAN = LONG ? { events: 20_000, kills: 10, lanes: 4 } : { events: 2_000, kills: 3, lanes: 4 };
const SEED = Number(process.env['RELIABILITY_SEED'] ?? Math.floor(Math.random() * 1_000_000_000));

/**
 * Against an external PostgreSQL (DATABASE_URL, CI's second run) the service gets a fresh database on
 * it; otherwise it runs its own embedded one, as `npm start` does, and adopts it after every kill.
 * RELIABILITY_DATABASE=shared|embedded forces one of the two.
 */
function useSharedServer(): boolean {
  const forced = process.env['RELIABILITY_DATABASE'];
  if (forced === 'shared' || forced === 'embedded') return forced === 'shared';
  return !!process.env['DATABASE_URL'];
}

let service: ServiceProcess | undefined;
let dataDir: string | null = null;
let database: TestDatabase | null = null;

beforeAll(async () => {
  const main = await buildService();
  let env: Record<string, string>;
  if (useSharedServer()) {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url };
  } else {
    dataDir = join(ROOT, `.data/reliability-crash-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    env = { EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };
  }
  service = new ServiceProcess(main, { port: await freePort(), env, adminApiKey: ADMIN_KEY });
  await service.start(90_000);
}, 180_000);

afterAll(async () => {
  await service?.stop();
  if (dataDir) {
    // SIGTERM stops the adopted server too; this covers a service that died in an unexpected way.
    await stopPostgresOn(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
  await database?.drop();
}, 60_000);

it(
  `keeps every acknowledged event exactly once through ${PLAN.kills} SIGKILLs (${PLAN.events} events)`,
  async () => {
    const running = service!;
    const startedAt = Date.now();
    console.log(`crash test: seed ${SEED} (RELIABILITY_SEED=${SEED} replays the workload and kill points)`);
    const client = new RetryingClient({
      baseUrl: running.baseUrl,
      apiKey: ADMIN_KEY,
      timeoutMs: 15_000,
      retryForMs: 120_000,
      maxBackoffMs: 500,
    });
    const { partners, linkId } = await configureCommissions(client);
    const workload = generateWorkload({
      seed: SEED,
      events: PLAN.events,
      lanes: PLAN.lanes,
      runId: `crash${SEED}`,
      partners,
      linkId,
    });
    const sender = new LaneSender(client, seededRandom(SEED + 1), { abandonShare: 0.1 });
    const random = seededRandom(SEED + 2);

    let sendingOver = false;
    const sending = Promise.all(workload.lanes.map((lane) => sender.sendLane(lane))).finally(() => {
      sendingOver = true;
    });
    let kills = 0;
    let killsUnderLoad = 0;
    const killing = (async () => {
      for (let k = 0; k < PLAN.kills; k++) {
        // Spread over the run, each at a random point of its own stretch, a random moment later.
        const threshold = (workload.eventCount * (k + 0.2 + random() * 0.6)) / PLAN.kills;
        while (sender.acknowledged.size < threshold && !sendingOver) await sleep(5);
        await sleep(random() * 250);
        if (!sendingOver) killsUnderLoad++;
        await running.kill();
        kills++;
        await sleep(random() * 500);
        await running.start(60_000);
      }
    })();
    const [sent, killed] = await Promise.allSettled([sending, killing]);
    if (sent.status === 'rejected') throw sent.reason;
    if (killed.status === 'rejected') throw killed.reason;
    const sendingSeconds = (Date.now() - startedAt) / 1000;

    await waitForProjections(client);
    const findings = await checkEverything(client, workload, sender.acknowledged);
    const verification = await auditVerify(client);

    const figures = {
      variant: LONG ? 'long' : 'short',
      seed: SEED,
      database: useSharedServer() ? 'shared server, fresh database' : 'embedded, adopted after each kill',
      eventsSent: workload.eventCount,
      requests: client.stats.requests,
      retriedRequests: client.stats.retries,
      acknowledged: sender.acknowledged.size,
      abandonedFirstDeliveries: sender.abandoned,
      answeredDuplicateOnRetry: sender.duplicatesAnswered,
      killsSurvived: kills,
      killsUnderLoad,
      eventsLost: findings.lost.length,
      duplicates: findings.duplicated.length,
      otherProblems: findings.problems.length,
      eventsInLog: findings.logEvents,
      collectedAttemptsChecked: findings.attemptsChecked,
      auditConsistent: verification.consistent,
      sendingSeconds,
      totalSeconds: (Date.now() - startedAt) / 1000,
    };
    console.log(`crash test figures:\n${JSON.stringify(figures, null, 2)}`);
    if (LONG) {
      const dir = join(ROOT, 'bench/results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'reliability-long.json'), `${JSON.stringify(figures, null, 2)}\n`);
    }

    expect(kills).toBe(PLAN.kills);
    expect(sender.duplicatesAnswered).toBeGreaterThan(0); // retries of committed batches were recognised
    expect(sender.acknowledged.size).toBe(workload.eventCount);
    expect(findings.lost).toEqual([]);
    expect(findings.duplicated).toEqual([]);
    expect(findings.problems.slice(0, 20)).toEqual([]);
    expect(verification.differences.slice(0, 20)).toEqual([]);
    expect(verification.consistent).toBe(true);
  },
  LONG ? 30 * 60_000 : 150_000,
);
