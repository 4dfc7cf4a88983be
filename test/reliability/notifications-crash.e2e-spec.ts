/**
 * Issue 18: the built service runs as a child process and is SIGKILLed while it is in the middle of
 * sending webhooks and emails (the receivers hold the first requests without answering, so they are
 * in flight at the kill). After a restart every delivery and every email arrives: none is lost. Some
 * arrive twice (at least once), always with the same id and the same content.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RetryingClient } from '../support/retrying-client';
import { ROOT, ServiceProcess, buildService, freePort, stopPostgresOn } from '../support/service-process';
import { SmtpSink } from '../support/smtp-sink';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { WebhookReceiver, eventually } from '../support/webhook-receiver';
import { ADMIN_KEY } from './reliability-setup';

const SALES = 60;
const HELD_WEBHOOKS = 5;
const HELD_EMAILS = 2;

let service: ServiceProcess | undefined;
let dataDir: string | null = null;
let database: TestDatabase | null = null;
const receiver = new WebhookReceiver();
const sink = new SmtpSink();

beforeAll(async () => {
  const main = await buildService();
  await receiver.start();
  await sink.start();
  let env: Record<string, string>;
  if (process.env['DATABASE_URL']) {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url };
  } else {
    dataDir = join(ROOT, `.data/notifications-crash-${process.pid}`);
    rmSync(dataDir, { recursive: true, force: true });
    env = { EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };
  }
  service = new ServiceProcess(main, {
    port: await freePort(),
    adminApiKey: ADMIN_KEY,
    env: {
      ...env,
      SMTP_URL: sink.url,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT_MS: '2000',
      DISPATCH_LEASE_MS: '6000',
      DELIVERY_RETRY_BASE_MS: '100',
      DELIVERY_RETRY_MAX_DELAY_MS: '500',
      DISPATCH_POLL_MS: '50',
      LOG_LEVEL: 'warn',
    },
  });
  await service.start(90_000);
}, 180_000);

afterAll(async () => {
  await service?.stop();
  if (dataDir) {
    await stopPostgresOn(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
  await database?.drop();
  await receiver.stop();
  await sink.stop();
}, 60_000);

it(`loses no webhook and no email when the service is SIGKILLed mid-dispatch (${SALES} sales)`, async () => {
  const running = service!;
  const client = new RetryingClient({
    baseUrl: running.baseUrl,
    apiKey: ADMIN_KEY,
    timeoutMs: 15_000,
    retryForMs: 60_000,
    maxBackoffMs: 500,
  });
  const ok = async (method: string, path: string, body: unknown, status: number) => {
    const response = await client.send<Record<string, unknown>>(method, path, body);
    if (response.status !== status)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  await ok(
    'POST',
    '/v1/programs',
    { id: 'crash', name: 'Crash', default: { sale: [{ percent: '10' }] } },
    201,
  );
  await ok(
    'POST',
    '/v1/partners',
    {
      id: 'ivy',
      code: 'Ivy',
      name: 'Ivy',
      email: 'ivy@partners.example.com',
      programIds: ['crash'],
      notifyOnSale: true,
    },
    201,
  );
  const endpoint = await ok(
    'POST',
    '/v1/webhooks',
    { url: receiver.url('/crash'), events: ['commission.earned'] },
    201,
  );
  receiver.secrets.set('/crash', endpoint['secret'] as string);

  receiver.holdNext = HELD_WEBHOOKS;
  sink.holdNext = HELD_EMAILS;
  const events = [];
  for (let i = 0; i < SALES; i++) {
    events.push(
      {
        eventId: `att-${i}`,
        type: 'PurchaseAttempted',
        occurredAt: '2026-03-06T10:00:00Z',
        data: {
          attemptId: `a-${i}`,
          orderId: `o-${i}`,
          contactId: `c-${i}`,
          kind: 'order',
          partnerCode: 'Ivy',
          currency: 'USD',
          items: [{ productId: 'premium', quantity: 1, unitPrice: 9700 }],
        },
      },
      {
        eventId: `col-${i}`,
        type: 'PaymentCollected',
        occurredAt: '2026-03-06T10:00:01Z',
        data: { attemptId: `a-${i}` },
      },
    );
  }
  await ok('POST', '/v1/events', { events }, 200);

  // Both dispatchers are stuck in the middle of sending: kill the process now.
  await eventually(
    () => ({ webhooks: receiver.held, emails: sink.held }),
    (h) => h.webhooks === HELD_WEBHOOKS && h.emails >= 1,
    60_000,
  );
  await running.kill();
  await running.start(60_000);

  const deliveredIds = await eventually(
    () =>
      new Set(
        receiver
          .on('/crash')
          .filter((r) => r.answered === 200)
          .map((r) => r.webhookId),
      ),
    (ids) => ids.size === SALES,
    90_000,
  );
  const mailed = await eventually(
    () => new Set(sink.messages.map((m) => m.notificationId)),
    (ids) => ids.size === SALES,
    90_000,
  );
  expect(mailed.size).toBe(SALES);
  expect(deliveredIds.size).toBe(SALES);

  // Every request verified; a delivery sent again after the kill carries the same id and content.
  const received = receiver.on('/crash');
  expect(received.filter((r) => r.verificationError !== null)).toEqual([]);
  const contentById = new Map<string, string>();
  for (const r of received) {
    const content = JSON.stringify(r.payload);
    expect(contentById.get(r.webhookId) ?? content).toBe(content);
    contentById.set(r.webhookId, content);
  }
  const commissions = new Set(received.map((r) => r.payload.data['commissionId']));
  expect(commissions.size).toBe(SALES);

  // The service's own records agree: every delivery succeeded and every email was sent, one of each per sale.
  const deliveries = await eventually(
    async () =>
      (
        await client.send<{ status: string }[]>(
          'GET',
          `/v1/webhooks/${endpoint['id'] as string}/deliveries?limit=1000`,
        )
      ).body,
    (d) => d.length === SALES && d.every((x) => x.status === 'succeeded'),
  );
  expect(deliveries).toHaveLength(SALES);
  const outbox = await eventually(
    async () => (await client.send<{ status: string }[]>('GET', '/v1/admin/notifications')).body,
    (n) => n.length === SALES && n.every((x) => x.status === 'sent'),
  );
  expect(outbox).toHaveLength(SALES);
  expect(sink.messages.every((m) => m.to.includes('ivy@partners.example.com'))).toBe(true);
}, 300_000);
