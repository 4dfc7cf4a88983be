/**
 * The service process: configuration, database (embedded when DATABASE_URL is unset), migrations, then
 * what ROLE says: api (HTTP), worker (projections, broker consumers; HTTP for /health only) or all.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { ApiKeyService, createApp } from '@app/core';
import {
  ConfigError,
  EmbeddedDatabaseError,
  type EmbeddedDatabase,
  loadConfig,
  removeServiceRecord,
  runMigrations,
  startEmbeddedDatabase,
  writeServiceRecord,
} from '@app/platform';

/** Longest wait for in-flight requests and batches after SIGTERM. */
const SHUTDOWN_TIMEOUT_MS = 25_000;

async function main(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    console.log(`No DATABASE_URL: starting the embedded PostgreSQL in ${config.embeddedDatabaseDir}`);
    embedded = await startEmbeddedDatabase({
      dataDir: config.embeddedDatabaseDir,
      port: config.embeddedDatabasePort,
      database: 'referral_ledger',
      persistent: true,
    });
    databaseUrl = embedded.url;
  }
  const applied = await runMigrations(databaseUrl);
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);

  const app = await createApp(config, databaseUrl);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    // Drains: worker tasks finish their batch (commit, acks), the HTTP server stops accepting and
    // answers the requests in flight, then the connections close. A stuck drain does not block the exit.
    console.log(`${signal}: draining, then shutting down`);
    removeServiceRecord(process.pid);
    setTimeout(() => {
      console.error(`shutdown took more than ${SHUTDOWN_TIMEOUT_MS} ms: exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    await app.close().catch((error: unknown) => console.error(error));
    await embedded?.stop().catch((error: unknown) => console.error(error));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  writeServiceRecord({
    pid: process.pid,
    url,
    embeddedDatabaseDir: embedded ? resolve(config.embeddedDatabaseDir) : null,
    embeddedDatabasePort: embedded ? config.embeddedDatabasePort : null,
    startedAt: new Date().toISOString(),
  });
  if (config.role === 'worker') {
    console.log(`Referral ledger worker running (health: ${url}/health/ready)`);
    return;
  }
  // The summary comes last, in one block, so that it is what a person sees when the start is done.
  const generatedKey = app.get(ApiKeyService).generatedAdminKey;
  console.log(
    [
      '',
      `Referral ledger (${config.role}) is ready on ${url} (listening on ${config.host}:${port})`,
      `  API docs:   ${url}/docs   (OpenAPI document: ${url}/docs-json)`,
      `  Partner Center: ${url}/partner-center/`,
      generatedKey
        ? `  Admin key:  ${generatedKey}   (generated for this run; set ADMIN_API_KEY to choose one)`
        : '  Admin key:  ADMIN_API_KEY',
      `  Database:   ${embedded ? `embedded PostgreSQL in ${config.embeddedDatabaseDir}` : 'DATABASE_URL'}`,
      '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseError) {
    console.error(error.message);
  } else {
    console.error('Start failed:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
