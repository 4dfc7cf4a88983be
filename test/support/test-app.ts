/** Starts the real application (real module, real PostgreSQL, real HTTP) on a fresh database. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '@app/core';
import { type AppConfig, loadConfig } from '@app/platform';
import { Contract, type OpenApiDocument, checkedAgent } from './contract';
import { createTestDatabase, type TestDatabase } from './test-database';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly baseUrl: string;
  readonly database: TestDatabase;
  readonly config: AppConfig;
  /** The OpenAPI document the app serves; every response of the agents below is checked against it. */
  readonly contract: Contract;
  /** supertest bound to the running server; `as(key)` adds the bearer header. */
  http(): request.Agent;
  admin(): request.Agent;
  as(key: string): request.Agent;
  close(): Promise<void>;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: { port?: number } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    ADMIN_API_KEY: ADMIN_KEY,
    PUBLIC_BASE_URL: 'https://track.example.com',
    LOG_LEVEL: 'error',
    ...env,
  });
  const app = await createApp(config, database.url, { logger: ['error'] });
  await app.listen(options.port ?? 0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenApiDocument;
  const contract = new Contract(document);
  const agent = (key?: string) => {
    const a = checkedAgent(request.agent(baseUrl), () => contract);
    return key ? a.set('Authorization', `Bearer ${key}`) : a;
  };
  return {
    app,
    baseUrl,
    database,
    config,
    contract,
    http: () => agent(),
    admin: () => agent(ADMIN_KEY),
    as: (key) => agent(key),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
