/**
 * Issue 21.1: SIGTERM drains. The built service (a child process, ROLE=all with JetStream ingest)
 * answers the request in flight and commits and acks the batch in flight before it exits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { TestStream } from '../support/nats';
import { ServiceProcess, buildService, freePort } from '../support/service-process';
import { type TestDatabase, createTestDatabase } from '../support/test-database';
import { ADMIN_KEY } from './reliability-setup';

let database: TestDatabase;
let stream: TestStream;
let service: ServiceProcess;

const optIn = (eventId: string) => ({
  eventId,
  type: 'ContactOptedIn',
  occurredAt: '2026-01-05T09:00:00Z',
  data: { contactId: `c-${eventId.replace(/[^A-Za-z0-9._:-]/g, '-')}`, visitorId: `v-${eventId}` },
});

/**
 * Until an ingest transaction is open in the service: it holds the write model's pause lock shared
 * from its start to its commit (nothing else runs here meanwhile), so the request is then in flight.
 */
async function ingestInFlight(): Promise<void> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    for (const deadline = Date.now() + 30_000; ;) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM pg_locks
          WHERE locktype = 'advisory' AND mode = 'ShareLock' AND objsubid = 1
            AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('projection-pause:write-model', 0)`,
      );
      if (Number(rows[0]!.n) > 0) return;
      if (Date.now() > deadline) throw new Error('no ingest transaction was seen');
      await sleep(2);
    }
  } finally {
    await client.end();
  }
}

async function storedWithPrefix(prefix: string): Promise<number> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM events WHERE event_id LIKE $1 || '%'`,
      [prefix],
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const main = await buildService();
  database = await createTestDatabase();
  stream = await TestStream.open('drain');
  await stream.create();
  service = new ServiceProcess(main, {
    port: await freePort(),
    env: { ROLE: 'all', DATABASE_URL: database.url, ...stream.env({ NATS_BATCH_SIZE: '200' }) },
    adminApiKey: ADMIN_KEY,
  });
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await stream?.close();
  await database?.drop();
}, 60_000);

it('answers the request in flight when SIGTERM arrives, then exits', async () => {
  await service.start(90_000);
  const envelopes = Array.from({ length: 1000 }, (_, i) => optIn(`drain-http.${i}`));
  const answer = fetch(`${service.baseUrl}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events: envelopes }),
  }).then(async (response) => ({
    at: Date.now(),
    status: response.status,
    body: (await response.json()) as { results: { status: string }[] },
  }));
  await ingestInFlight();
  const signalledAt = Date.now();
  const stopping = service.stop(60_000);
  const { at, status, body } = await answer;
  await stopping;
  expect(at).toBeGreaterThan(signalledAt); // it was still in flight when the signal came
  expect(status).toBe(200);
  expect(body.results.filter((r) => r.status === 'accepted')).toHaveLength(1000);
  expect(service.logTail(200)).toMatch(/SIGTERM: draining/);
  expect(await storedWithPrefix('drain-http.')).toBe(1000);
}, 120_000);

it('commits and acks the JetStream batch in flight when SIGTERM arrives', async () => {
  await service.start(90_000);
  const count = 2000;
  for (let i = 0; i < count; i++) await stream.publish(optIn(`drain-js.${i}`));
  // Wait until a batch is out (fetched, not acked yet), then stop.
  for (const deadline = Date.now() + 60_000; (await stream.consumerInfo()).numAckPending === 0;) {
    if (Date.now() > deadline) throw new Error('no batch was fetched');
    await sleep(20);
  }
  await service.stop(60_000);
  const after = await stream.consumerInfo();
  expect(service.running).toBe(false);
  // Nothing was left unacknowledged, and every acknowledged message is stored.
  expect(after.numAckPending).toBe(0);
  expect(await storedWithPrefix('drain-js.')).toBe(count - after.numPending);
}, 180_000);
