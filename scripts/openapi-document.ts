/**
 * Prints the OpenAPI document of the real application module, built without a database (nothing is
 * queried until a request comes, and no projection runs), for `npm run openapi` and the lint checks.
 */
import 'reflect-metadata';
import { createApp, openApiDocument } from '@app/core';
import { loadConfig } from '@app/platform';

async function main(): Promise<void> {
  const config = loadConfig({
    ADMIN_API_KEY: 'document-only-key-0123456789',
    LOG_LEVEL: 'error',
    ROLE: 'api',
  });
  const app = await createApp(config, 'postgres://document-only@127.0.0.1:1/none', { logger: false });
  process.stdout.write(`${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
