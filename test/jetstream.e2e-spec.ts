/**
 * Issue 21.2: with NATS_URL set, the worker ingests envelopes from a JetStream stream through the same
 * pipeline as POST /v1/events. Against the machine's NATS (a stream of its own, deleted afterwards).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TestStream } from './support/nats';
import { type TestApp, startTestApp } from './support/test-app';
import { uniqueId } from './support/fixtures';

let t: TestApp;
let stream: TestStream;

interface ConsumerView {
  name: string;
  status: string;
  leader: string | null;
  numPending: number;
  numAckPending: number;
  numRedelivered: number;
  deadLettered: number;
}

async function consumers(): Promise<ConsumerView[]> {
  const response = await t.admin().get('/v1/admin/consumers');
  expect(response.status).toBe(200);
  return response.body as ConsumerView[];
}

/** Until the consumer has nothing pending or unacknowledged, and `done` holds. */
async function settled(done: (c: ConsumerView) => boolean = () => true): Promise<ConsumerView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [consumer] = await consumers();
    if (consumer && consumer.numPending === 0 && consumer.numAckPending === 0 && done(consumer))
      return consumer;
    if (Date.now() > deadline) throw new Error(`the consumer did not settle: ${JSON.stringify(consumer)}`);
    await sleep(100);
  }
}

async function eventsWithId(
  prefix: string,
): Promise<{ eventId: string; type: string; metadata: Record<string, unknown> }[]> {
  const found: { eventId: string; type: string; metadata: Record<string, unknown> }[] = [];
  let after = '';
  for (;;) {
    const response = await t.admin().get(`/v1/audit/events?limit=1000${after ? `&after=${after}` : ''}`);
    expect(response.status).toBe(200);
    const page = response.body as {
      events: { eventId: string; type: string; metadata: Record<string, unknown> }[];
      next: string;
    };
    if (page.events.length === 0) return found;
    found.push(...page.events.filter((e) => e.eventId.startsWith(prefix)));
    after = page.next;
  }
}

const click = (eventId: string, visitorId = `v-${eventId}`) => ({
  eventId,
  type: 'LinkClicked',
  occurredAt: '2026-01-05T09:00:00Z',
  data: { partnerId: 'js-amy', linkId: 'js-link', visitorId },
});

beforeAll(async () => {
  stream = await TestStream.open('ingest');
  t = await startTestApp(stream.env({ NATS_BATCH_SIZE: '50' }));
  await t
    .admin()
    .post('/v1/programs')
    .send({ id: 'js-program', name: 'JS', default: { sale: [{ percent: '10' }] } });
  expect(
    (
      await t
        .admin()
        .post('/v1/partners')
        .send({ id: 'js-amy', code: 'JsAmy', name: 'Amy', programIds: ['js-program'] })
    ).status,
  ).toBe(201);
  expect(
    (
      await t
        .admin()
        .post('/v1/links')
        .send({ id: 'js-link', code: 'js-link', name: 'L', destinationUrl: 'https://shop.example.com/' })
    ).status,
  ).toBe(201);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await stream?.close();
});

it('creates the stream and the durable consumer, and shows them with their lag and leader', async () => {
  const consumer = await settled((c) => c.status === 'consuming');
  expect(consumer).toMatchObject({ name: stream.consumer, numPending: 0, numAckPending: 0, deadLettered: 0 });
  expect(consumer.leader).toMatch(/^all@.+:\d+$/);
  const ready = await t.http().get('/health/ready');
  expect(ready.status).toBe(200);
  expect(ready.body).toEqual({
    status: 'ready',
    role: 'all',
    database: 'up',
    migrations: 'done',
    components: { http: 'running', projections: 'running', 'jetstream-ingest': 'running' },
  });
});

it('ingests published envelopes in batches, acks them, and a message sent again is a duplicate', async () => {
  const prefix = uniqueId('js');
  const envelopes = Array.from({ length: 120 }, (_, i) => click(`${prefix}.${i}`));
  for (const envelope of envelopes) await stream.publish(envelope);
  // The same envelopes again (a publisher retrying): stored once.
  for (const envelope of envelopes.slice(0, 10)) await stream.publish(envelope);
  const consumer = await settled();
  expect(consumer.deadLettered).toBe(0);
  const stored = await eventsWithId(`${prefix}.`);
  expect(stored.map((e) => e.eventId).sort()).toEqual(envelopes.map((e) => e.eventId).sort());
  expect(stored[0]!.metadata['actor']).toBe(`nats:${stream.consumer}`);

  // The reports see them like any other click.
  const stats = await t
    .admin()
    .get('/v1/reports/link-stats?from=2026-01-01&to=2026-01-31&partnerId=js-amy&waitFor=' + '0-0');
  expect(stats.status).toBe(200);
});

it('dead-letters a rejected envelope with its problem document, and malformed messages too, and acks them', async () => {
  const prefix = uniqueId('jsdl');
  const before = (await settled()).deadLettered;
  await stream.publish(click(`${prefix}.ok`));
  // The same eventId with other content: 409 event-id-conflict.
  await stream.publish(click(`${prefix}.ok`, 'another-visitor'));
  await stream.publish('not json at all');
  await stream.publish({ type: 'LinkClicked', occurredAt: '2026-01-05T09:00:00Z', data: {} });
  await stream.publish({ events: [click(`${prefix}.batch`)] });
  await stream.publish({ ...click(`${prefix}.bad-data`), data: { visitorId: 7 } });
  const consumer = await settled((c) => c.deadLettered >= before + 5);
  expect(consumer.deadLettered).toBe(before + 5);

  const letters = (await stream.deadLetters()).slice(before);
  const problems = letters.map(
    (l) => l['problem'] as { status: number; code?: string; errors?: { path: string }[] },
  );
  expect(problems.map((p) => p.status)).toEqual([409, 400, 400, 400, 400]);
  expect(problems[0]!.code).toBe('event-id-conflict');
  expect(letters[0]!['envelope']).toMatchObject({
    eventId: `${prefix}.ok`,
    data: { visitorId: 'another-visitor' },
  });
  expect(letters[1]!['message']).toBe('not json at all');
  expect(problems[2]!.errors!.map((e) => e.path)).toContain('eventId');
  expect(problems[3]!.errors!.map((e) => e.path)).toEqual(expect.arrayContaining(['events', 'eventId']));
  expect(problems[4]!.errors!.map((e) => e.path)).toEqual(expect.arrayContaining(['data.visitorId']));
  for (const letter of letters)
    expect(letter['source']).toMatchObject({ stream: stream.stream, subject: stream.subject });

  // Only the valid envelope was stored; the malformed ones changed nothing.
  expect((await eventsWithId(`${prefix}.`)).map((e) => e.eventId)).toEqual([`${prefix}.ok`]);
});

it('retries an envelope whose attempt is not stored yet, and stores it once the attempt arrives over HTTP', async () => {
  const attemptId = uniqueId('js-attempt');
  const collection = {
    eventId: `${attemptId}.collected`,
    type: 'PaymentCollected',
    occurredAt: '2026-01-05T09:10:02Z',
    data: { attemptId },
  };
  const before = await settled();
  await stream.publish(collection);
  // Delivered, refused (unknown-attempt) and given back for later: awaiting its acknowledgement meanwhile.
  for (const deadline = Date.now() + 30_000; ; await sleep(50)) {
    const [consumer] = await consumers();
    if (consumer!.numPending === 0 && consumer!.numAckPending > 0) break;
    if (Date.now() > deadline)
      throw new Error(`the collection was not delivered: ${JSON.stringify(consumer)}`);
  }
  expect(await eventsWithId(`${attemptId}.`)).toEqual([]);
  const attempt = await t
    .admin()
    .post('/v1/events')
    .send({
      events: [
        {
          eventId: `${attemptId}.attempted`,
          type: 'PurchaseAttempted',
          occurredAt: '2026-01-05T09:10:00Z',
          data: {
            attemptId,
            orderId: `o-${attemptId}`,
            contactId: `c-${attemptId}`,
            kind: 'order',
            partnerCode: 'JsAmy',
            currency: 'USD',
            items: [{ productId: 'p', quantity: 1, unitPrice: 1000 }],
          },
        },
      ],
    });
  expect(attempt.status).toBe(200);
  expect((await settled()).deadLettered).toBe(before.deadLettered);
  const stored = await eventsWithId(`${attemptId}.`);
  expect(stored.map((e) => e.type).sort()).toEqual([
    'AttemptAttributed',
    'CommissionEarned',
    'PaymentCollected',
    'PurchaseAttempted',
  ]);
  const view = await t.admin().get(`/v1/attempts/${attemptId}`);
  expect(view.body).toMatchObject({ status: 'collected' });
}, 60_000);
