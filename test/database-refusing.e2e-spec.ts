/**
 * Issue 13.5: a database that refuses connections is a 503 problem with Retry-After, not a 500. The
 * test closes its own database to new connections (ALTER DATABASE ... ALLOW_CONNECTIONS false, SQLSTATE
 * 55000 on connect), ends the connections the app holds (57P01 on the next use), and calls reports,
 * the Partner Center sign-in and ingest; then it opens the database again and the app recovers.
 */
import { Client } from 'pg';
import { createPartner, createProgram, uniqueId } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let code: string;

beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: 'error' });
  const program = await createProgram(t, { default: { sale: [{ percent: '15' }] } });
  code = `down${uniqueId('x').replace(/-/g, '')}`;
  await createPartner(t, { code, programIds: [program], ...({ password: 'refused-partner-pw' } as object) });
});

afterAll(async () => {
  await allowConnections(true);
  await t.close();
});

async function allowConnections(allow: boolean): Promise<void> {
  const admin = new Client({ connectionString: process.env['TEST_DATABASE_SERVER_URL'] });
  await admin.connect();
  try {
    const name = admin.escapeIdentifier(t.database.name);
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`);
    if (!allow)
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [t.database.name],
      );
  } finally {
    await admin.end();
  }
}

const calls = () =>
  [
    [
      'GET /v1/reports/ledger',
      t.admin().get('/v1/reports/ledger').query({ from: '2027-04-01', to: '2027-04-30' }),
    ],
    [
      'GET /v1/reports/link-stats',
      t.admin().get('/v1/reports/link-stats').query({ from: '2027-04-01', to: '2027-04-30' }),
    ],
    [
      'POST /v1/partner-center/login',
      t.http().post('/v1/partner-center/login').send({ code, password: 'refused-partner-pw' }),
    ],
    [
      'POST /v1/events',
      t
        .admin()
        .post('/v1/events')
        .send({
          events: [
            {
              eventId: uniqueId('down'),
              type: 'ContactOptedIn',
              occurredAt: '2027-04-03T08:00:00Z',
              data: { contactId: uniqueId('c') },
            },
          ],
        }),
    ],
    ['GET /v1/partners', t.admin().get('/v1/partners')],
  ] as const;

it('answers 503 problem+json with Retry-After while the database refuses connections, then recovers', async () => {
  await allowConnections(false);
  // Twice: the first round meets the connections just terminated (57P01), the second new connects (55000).
  for (let round = 1; round <= 2; round++) {
    for (const [name, call] of calls()) {
      const response = await call;
      expect([round, name, response.status]).toEqual([round, name, 503]);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.body).toMatchObject({ status: 503, title: 'Service unavailable' });
    }
  }
  await t.http().get('/health').expect(503);

  await allowConnections(true);
  for (const [name, call] of calls()) {
    const response = await call;
    expect([name, response.status]).toEqual([name, 200]);
  }
});
