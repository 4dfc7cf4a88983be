/**
 * Every "database not available" class, produced for real where PostgreSQL can be made to produce it,
 * is recognised and answered 503 problem+json with Retry-After by the problem filter.
 */
import { Client, Pool } from 'pg';
import { createServer } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ProblemFilter } from '../http/problem.filter';
import { isDatabaseUnavailable } from './database';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb.drop();
});

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the work to fail');
}

function expect503(error: unknown): void {
  expect(isDatabaseUnavailable(error)).toBe(true);
  const { body, headers } = new ProblemFilter().toProblem(error);
  expect(body).toMatchObject({ status: 503, title: 'Service unavailable' });
  expect(Number(headers['Retry-After'])).toBeGreaterThan(0);
}

async function asServerAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: process.env['TEST_DATABASE_SERVER_URL'] });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

it('recognises connection refused', async () => {
  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const address = closed.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((done) => closed.close(done));
  const pool = new Pool({ host: '127.0.0.1', port, user: 'nobody', database: 'none' });
  try {
    expect503(await failure(() => pool.query('SELECT 1')));
  } finally {
    await pool.end();
  }
});

it('recognises the pool timeout when every connection is busy', async () => {
  const pool = new Pool({ connectionString: testDb.url, max: 1, connectionTimeoutMillis: 100 });
  const held = await pool.connect();
  try {
    const error = await failure(() => pool.query('SELECT 1'));
    expect((error as Error).message).toMatch(/timeout exceeded when trying to connect/);
    expect503(error);
  } finally {
    held.release();
    await pool.end();
  }
});

it('recognises a database closed to connections (55000) and a terminated connection (57P01)', async () => {
  const client = new Client({ connectionString: testDb.url });
  await client.connect();
  client.on('error', () => undefined);
  const name = client.escapeIdentifier(testDb.name);
  await asServerAdmin(async (admin) => {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
      testDb.name,
    ]);
  });
  try {
    const terminated = await failure(() => client.query('SELECT 1'));
    expect503(terminated);
    const refused = await failure(() => new Client({ connectionString: testDb.url }).connect());
    expect(refused).toMatchObject({ code: '55000' });
    expect503(refused);
  } finally {
    await asServerAdmin((admin) => admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`));
    await client.end().catch(() => undefined);
  }
});

it('recognises too many connections (53300)', async () => {
  const role = `rl_limited_${process.pid}`;
  await asServerAdmin((admin) =>
    admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0 PASSWORD 'limited-role-pw'`),
  );
  try {
    const url = new URL(testDb.url);
    url.username = role;
    url.password = 'limited-role-pw';
    const error = await failure(() => new Client({ connectionString: url.toString() }).connect());
    expect(error).toMatchObject({ code: '53300' });
    expect503(error);
  } finally {
    await asServerAdmin((admin) => admin.query(`DROP ROLE ${role}`));
  }
});

it('recognises "cannot connect now" (57P03) and admin shutdown (57P01) as the server reports them', () => {
  // A starting or stopping server cannot be arranged here; these are the errors pg makes of them.
  for (const [code, message] of [
    ['57P03', 'the database system is starting up'],
    ['57P03', 'the database system is shutting down'],
    ['57P01', 'terminating connection due to administrator command'],
  ]) {
    expect503(Object.assign(new Error(message), { code, severity: 'FATAL' }));
  }
});

it('leaves other errors alone, 55000 without that message included', () => {
  for (const error of [
    Object.assign(new Error('cannot refresh materialized view concurrently'), { code: '55000' }),
    Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
    new Error('something else'),
  ]) {
    expect(isDatabaseUnavailable(error)).toBe(false);
  }
});
