/** 1,000 collected sales produce exactly 1,000 sale emails, received by a real SMTP server. */
import { SmtpSink } from './support/smtp-sink';
import { eventually } from './support/webhook-receiver';
import { startTestApp, type TestApp } from './support/test-app';
import { attempt, collect, createProgram, ingestAll, uniqueId, type Envelope } from './support/fixtures';

const SALES = 1000;
let t: TestApp;
const sink = new SmtpSink();

beforeAll(async () => {
  await sink.start();
  t = await startTestApp({ SMTP_URL: sink.url, DISPATCH_POLL_MS: '50' });
});

afterAll(async () => {
  await t.close();
  await sink.stop();
});

it(`sends exactly ${SALES} sale emails for ${SALES} sales`, async () => {
  const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
  const partners: { code: string; email: string }[] = [];
  for (let i = 0; i < 4; i++) {
    const code = `vol${i}${uniqueId('p').replace(/-/g, '')}`;
    const email = `${code.toLowerCase()}@partners.example.com`;
    await t
      .admin()
      .post('/v1/partners')
      .send({ code, name: code, email, programIds: [program], notifyOnSale: true })
      .expect(201);
    partners.push({ code, email });
  }
  const envelopes: Envelope[] = [];
  for (let i = 0; i < SALES; i++) {
    const attemptId = uniqueId('vol');
    envelopes.push(
      attempt('2026-03-05T10:00:00Z', {
        attemptId,
        contactId: uniqueId('c'),
        partnerCode: partners[i % partners.length]!.code,
        items: [{ productId: 'premium', quantity: 1, unitPrice: 5000 }],
      }),
      collect('2026-03-05T10:00:01Z', attemptId),
    );
  }
  for (let i = 0; i < envelopes.length; i += 500) await ingestAll(t, envelopes.slice(i, i + 500));

  const rows = await eventually(
    async () =>
      (await t.admin().get('/v1/admin/notifications?limit=5000')).body as {
        id: string;
        status: string;
        kind: string;
      }[],
    (r) => r.length === SALES && r.every((n) => n.status === 'sent'),
    120_000,
  );
  expect(rows.every((n) => n.kind === 'sale')).toBe(true);
  expect(sink.messages).toHaveLength(SALES);
  expect(new Set(sink.messages.map((m) => m.notificationId)).size).toBe(SALES);
  expect(new Set(rows.map((n) => n.id))).toEqual(new Set(sink.messages.map((m) => m.notificationId)));
  for (const p of partners) expect(sink.to(p.email)).toHaveLength(SALES / partners.length);
}, 180_000);
