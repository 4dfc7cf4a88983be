/**
 * Two service processes on one database both run the dispatchers: the lease per message means each
 * webhook and each email is sent exactly once (no crash, so no lease runs out), never by both at once.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '@app/core';
import { attempt, collect, createProgram, ingestAll, uniqueId, type Envelope } from './support/fixtures';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, type TestApp } from './support/test-app';
import { WebhookReceiver, eventually } from './support/webhook-receiver';

const SALES = 200;
let t: TestApp;
let second: NestExpressApplication;
const sink = new SmtpSink();
const receiver = new WebhookReceiver();

beforeAll(async () => {
  await sink.start();
  await receiver.start();
  t = await startTestApp({ SMTP_URL: sink.url, WEBHOOK_ALLOW_PRIVATE: 'true', DISPATCH_POLL_MS: '20' });
  second = await createApp(t.config, t.database.url, { logger: ['error'] });
  await second.init();
});

afterAll(async () => {
  await second.close();
  await t.close();
  await sink.stop();
  await receiver.stop();
});

it('sends each webhook and each email once when two processes dispatch the same outbox', async () => {
  const inFlight = new Set<string>();
  let overlaps = 0;
  receiver.answer = ({ webhookId }) => {
    if (inFlight.has(webhookId)) overlaps++;
    inFlight.add(webhookId);
    setTimeout(() => inFlight.delete(webhookId), 5);
    return 200;
  };
  const endpoint = await t
    .admin()
    .post('/v1/webhooks')
    .send({ url: receiver.url('/two'), events: ['commission.earned'] });
  expect(endpoint.status).toBe(201);
  receiver.secrets.set('/two', endpoint.body.secret as string);
  const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
  const code = `two${uniqueId('p').replace(/-/g, '')}`;
  await t
    .admin()
    .post('/v1/partners')
    .send({ code, name: code, email: 'kim@partners.example.com', programIds: [program], notifyOnSale: true })
    .expect(201);
  const envelopes: Envelope[] = [];
  for (let i = 0; i < SALES; i++) {
    const attemptId = uniqueId('two');
    envelopes.push(
      attempt('2026-03-08T10:00:00Z', {
        attemptId,
        contactId: uniqueId('c'),
        partnerCode: code,
        items: [{ productId: 'p', quantity: 1, unitPrice: 1000 }],
      }),
      collect('2026-03-08T10:00:01Z', attemptId),
    );
  }
  await ingestAll(t, envelopes);

  await eventually(
    () => receiver.on('/two'),
    (r) => r.length >= SALES,
    60_000,
  );
  await eventually(
    () => sink.messages,
    (m) => m.length >= SALES,
    60_000,
  );
  // Both processes are idle once everything is marked done; then nothing more may arrive.
  await eventually(
    async () => (await t.admin().get('/v1/admin/notifications?status=sent&limit=5000')).body as unknown[],
    (rows) => rows.length === SALES,
  );
  await eventually(
    async () =>
      (
        await t
          .admin()
          .get(`/v1/webhooks/${endpoint.body.id as string}/deliveries?status=succeeded&limit=1000`)
      ).body as unknown[],
    (rows) => rows.length === SALES,
  );
  expect(receiver.on('/two')).toHaveLength(SALES);
  expect(new Set(receiver.on('/two').map((r) => r.webhookId)).size).toBe(SALES);
  expect(receiver.on('/two').every((r) => r.verificationError === null)).toBe(true);
  expect(overlaps).toBe(0);
  expect(sink.messages).toHaveLength(SALES);
  expect(new Set(sink.messages.map((m) => m.notificationId)).size).toBe(SALES);
}, 180_000);
