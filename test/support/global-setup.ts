/**
 * Starts one PostgreSQL for the database test tiers (the embedded one, unless DATABASE_URL is set),
 * migrates a template database once, and tells the workers where it is. Each test file then gets
 * a fresh database cloned from the template (see test-database.ts).
 */
import { type AddressInfo, createServer } from 'node:net';
import { Client } from 'pg';
import { runMigrations, startEmbeddedDatabase, type EmbeddedDatabase } from '../../libs/platform/src';

declare global {
  var __embeddedDatabase: EmbeddedDatabase | undefined;
  var __databaseSetups: number | undefined;
}

export const TEMPLATE_DATABASE = 'referral_ledger_template';

/** A port no one listens on now (several test runs may share the machine). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export default async function globalSetup(): Promise<void> {
  globalThis.__databaseSetups = (globalThis.__databaseSetups ?? 0) + 1;
  if (process.env['TEST_DATABASE_SERVER_URL']) return; // already set up by the other project

  let serverUrl = process.env['DATABASE_URL'];
  if (!serverUrl) {
    const embedded = await startEmbeddedDatabase({
      dataDir: `.data/test-postgres-${process.pid}`,
      port: await freePort(),
      database: 'postgres',
      persistent: false,
    });
    globalThis.__embeddedDatabase = embedded;
    serverUrl = embedded.url;
  }
  process.env['TEST_DATABASE_SERVER_URL'] = serverUrl;

  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const rows = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'rl_test_%' OR datname = $1",
      [TEMPLATE_DATABASE],
    );
    for (const { datname } of rows.rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(TEMPLATE_DATABASE)}`);
  } finally {
    await admin.end();
  }
  await runMigrations(withDatabase(serverUrl, TEMPLATE_DATABASE));
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
