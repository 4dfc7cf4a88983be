/** The HTTP API process: configuration, database (embedded when DATABASE_URL is unset), migrations, server. */
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
    console.log(`${signal}: shutting down`);
    await app.close().catch((error: unknown) => console.error(error));
    await embedded?.stop().catch((error: unknown) => console.error(error));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen(config.port, '0.0.0.0');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`Referral ledger listening on http://localhost:${port} (docs: http://localhost:${port}/docs)`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseError) {
    console.error(error.message);
  } else {
    console.error('Start failed:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
