/** The transaction helper on a real PostgreSQL: commit, rollback on every error, snapshot modes. */
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { Database } from './database';
import { beginStatement, inTransaction } from './transaction';

let testDb: TestDatabase;
let client: Client;

beforeAll(async () => {
  testDb = await createTestDatabase();
  client = new Client({ connectionString: testDb.url });
  await client.connect();
  await client.query('CREATE TABLE tx_rows (id integer PRIMARY KEY)');
});

afterAll(async () => {
  await client.end();
  await testDb.drop();
});

const ids = async () => (await client.query<{ id: number }>('SELECT id FROM tx_rows ORDER BY id')).rows;

it('commits the work and answers its result', async () => {
  const result = await inTransaction(client, async () => {
    await client.query('INSERT INTO tx_rows VALUES (1)');
    return 'done';
  });
  expect(result).toBe('done');
  expect(await ids()).toEqual([{ id: 1 }]);
});

it('rolls back when the work throws, rethrows its error, and leaves the connection usable', async () => {
  const failure = new Error('work failed');
  await expect(
    inTransaction(client, async () => {
      await client.query('INSERT INTO tx_rows VALUES (2)');
      throw failure;
    }),
  ).rejects.toBe(failure);
  await expect(
    inTransaction(client, () => client.query('INSERT INTO tx_rows VALUES (1)')),
  ).rejects.toMatchObject({ code: '23505' });
  expect(await ids()).toEqual([{ id: 1 }]);
  const { rows } = await client.query<{ open: boolean }>(
    'SELECT now() <> statement_timestamp() AS open', // false outside a transaction block
  );
  expect(rows[0]?.open).toBe(false);
});

it('opens a read-only repeatable-read snapshot when asked', async () => {
  expect(beginStatement({ isolation: 'repeatable read', readOnly: true })).toBe(
    'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY',
  );
  const modes = await inTransaction(
    client,
    async () =>
      (
        await client.query<{ isolation: string; read_only: string }>(
          "SELECT current_setting('transaction_isolation') AS isolation, current_setting('transaction_read_only') AS read_only",
        )
      ).rows[0],
    { isolation: 'repeatable read', readOnly: true },
  );
  expect(modes).toEqual({ isolation: 'repeatable read', read_only: 'on' });
  await expect(
    inTransaction(client, () => client.query('INSERT INTO tx_rows VALUES (3)'), { readOnly: true }),
  ).rejects.toMatchObject({ code: '25006' });
  expect(await ids()).toEqual([{ id: 1 }]);
});

it('Database.transaction passes the modes on and rolls back on error', async () => {
  const database = new Database(testDb.url, 2);
  try {
    const isolation = await database.transaction(
      async (tx) =>
        (await tx.query<{ level: string }>("SELECT current_setting('transaction_isolation') AS level"))
          .rows[0]?.level,
      { isolation: 'repeatable read', readOnly: true },
    );
    expect(isolation).toBe('repeatable read');
    await expect(
      database.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_rows VALUES (4)');
        throw new Error('after the insert');
      }),
    ).rejects.toThrow('after the insert');
    expect(await ids()).toEqual([{ id: 1 }]);
  } finally {
    await database.close();
  }
});
