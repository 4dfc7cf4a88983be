/**
 * Issue 21.2: a message whose envelope was committed but never acked (the worker died in between) is
 * delivered again and answers `duplicate`: stored once, acked, nothing dead-lettered.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TestStream } from './support/nats';
import { type TestApp, startTestApp } from './support/test-app';
import { uniqueId } from './support/fixtures';

/** Long enough for the app to start and the commit below to happen before the redelivery. */
const ACK_WAIT_SECONDS = 10;

let t: TestApp | undefined;
let stream: TestStream;

beforeAll(async () => {
  stream = await TestStream.open('redeliver');
  await stream.create();
  await stream.createConsumer(ACK_WAIT_SECONDS);
});

afterAll(async () => {
  await t?.close();
  await stream?.close();
});

it('answers duplicate for a redelivered message that was committed before its worker died', async () => {
  const prefix = uniqueId('redeliver');
  const optIns = Array.from({ length: 5 }, (_, i) => ({
    eventId: `${prefix}.${i}`,
    type: 'ContactOptedIn',
    occurredAt: '2026-01-05T09:00:00Z',
    data: { contactId: `c-${prefix}-${i}`, visitorId: `v-${prefix}-${i}` },
  }));
  for (const optIn of optIns) await stream.publish(optIn);
  // A worker fetched them, committed them and died before acking (its commit is made over HTTP here).
  expect(await stream.fetchAndAbandon(optIns.length)).toHaveLength(optIns.length);
  t = await startTestApp(stream.env({ NATS_ACK_WAIT: String(ACK_WAIT_SECONDS) }));
  const committed = await t.admin().post('/v1/events').send({ events: optIns });
  expect(committed.status).toBe(200);
  expect(committed.body.results.map((r: { status: string }) => r.status)).toEqual(
    optIns.map(() => 'accepted'),
  );

  // The new leader waits for them, gets them again after the ack wait, finds them stored and acks them.
  for (const deadline = Date.now() + 60_000; ; await sleep(100)) {
    const info = await stream.consumerInfo();
    if (info.numAckPending === 0 && info.deliveries >= 2 * optIns.length) break;
    if (Date.now() > deadline) throw new Error(`not redelivered and acked: ${JSON.stringify(info)}`);
  }
  const consumer = ((await t.admin().get('/v1/admin/consumers')).body as object[])[0];
  expect(consumer).toMatchObject({ numPending: 0, numAckPending: 0, deadLettered: 0 });
  const log = await t.admin().get('/v1/audit/events?limit=1000');
  const ids = (log.body.events as { eventId: string; metadata: { actor: string } }[]).filter((e) =>
    e.eventId.startsWith(`${prefix}.`),
  );
  expect(ids.map((e) => e.eventId).sort()).toEqual(optIns.map((o) => o.eventId).sort());
  expect(ids.every((e) => e.metadata.actor === 'key:bootstrap-admin')).toBe(true); // stored once, by the commit
}, 120_000);
