/**
 * The embedded default: no SMTP_URL and no WEBHOOK_ALLOW_PRIVATE. Emails stay in the outbox, listed by
 * the API and the CLI as not sent; webhook destinations on private or loopback addresses are refused.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { attempt, collect, createProgram, ingestAll, uniqueId } from './support/fixtures';
import { buildService } from './support/service-process';
import { startTestApp, type TestApp } from './support/test-app';
import { eventually } from './support/webhook-receiver';

let t: TestApp;
let cli: string;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, DATABASE_URL: t.database.url, ADMIN_API_KEY: 'cli-test-admin-key-0123456789' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  cli = join(dirname(await buildService()), '../../cli/src/main.js');
  t = await startTestApp({ DISPATCH_POLL_MS: '50' });
}, 180_000);

afterAll(async () => {
  await t.close();
});

it('keeps every email in the outbox, marked unsent-no-transport, listed by the API and the CLI', async () => {
  const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
  const code = `def${uniqueId('p').replace(/-/g, '')}`;
  await t
    .admin()
    .post('/v1/partners')
    .send({ code, name: code, email: 'jo@partners.example.com', programIds: [program], notifyOnSale: true })
    .expect(201);
  const collections: string[] = [];
  for (let i = 0; i < 3; i++) {
    const attemptId = uniqueId('att');
    const collectionId = uniqueId('col');
    collections.push(collectionId);
    await ingestAll(t, [
      attempt('2026-03-07T10:00:00Z', {
        attemptId,
        contactId: uniqueId('c'),
        partnerCode: code,
        items: [{ productId: 'p', quantity: 1, unitPrice: 1000 }],
      }),
      { ...collect('2026-03-07T10:00:01Z', attemptId), eventId: collectionId },
    ]);
  }
  const rows = await eventually(
    async () =>
      (await t.admin().get('/v1/admin/notifications')).body as {
        sourceEventId: string;
        status: string;
        attempts: number;
      }[],
    (r) => r.length === 3 && r.every((n) => n.status === 'unsent-no-transport'),
  );
  expect(rows.map((r) => r.sourceEventId)).toEqual(collections);
  expect(rows.every((r) => r.attempts === 0)).toBe(true);
  const filtered = await t.admin().get('/v1/admin/notifications?status=sent').expect(200);
  expect(filtered.body).toEqual([]);

  const listed = await runCli(['notifications', '--status', 'unsent-no-transport']);
  expect(listed.stderr).toBe('');
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain('3 notification(s)');
  for (const id of collections) expect(listed.stdout).toContain(id);
  const bad = await runCli(['notifications', '--status', 'lost']);
  expect(bad.code).toBe(2);
}, 120_000);

it.each([
  'http://127.0.0.1:8080/hook',
  'http://localhost/hook',
  'http://[::1]/hook',
  'http://10.1.2.3/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://192.168.0.10/hook',
])('refuses the private or loopback destination %s', async (url) => {
  const response = await t
    .admin()
    .post('/v1/webhooks')
    .send({ url, events: ['partner.enrolled'] });
  expect(response.status).toBe(422);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(response.body).toMatchObject({ code: 'destination-refused', errors: [{ path: 'url' }] });
  expect((await t.admin().get('/v1/webhooks')).body).toEqual([]);
});
