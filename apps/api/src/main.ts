/**
 * The service process: configuration, database (embedded when DATABASE_URL is unset), migrations, then
 * what ROLE says: api (HTTP), worker (projections, broker consumers; HTTP for /health only) or all.
 */
import 'reflect-metadata';
import { createApp } from '@app/core';
import {
  ConfigError,
  EmbeddedDatabaseError,
  type EmbeddedDatabase,
  loadConfig,
  runMigrations,
  startEmbeddedDatabase,
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

  await app.listen(config.port, '0.0.0.0');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (config.role === 'worker') {
    console.log(`Referral ledger worker running (health: http://localhost:${port}/health/ready)`);
  } else {
    console.log(
      `Referral ledger (${config.role}) listening on http://localhost:${port} (docs: http://localhost:${port}/docs)`,
    );
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseError) {
    console.error(error.message);
  } else {
    console.error('Start failed:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
