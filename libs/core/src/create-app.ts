/** Builds the HTTP application exactly as production runs it; tests use the same function. */
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { json, urlencoded } from 'express';
import helmet from 'helmet';
import {
  type AppConfig,
  ProblemFilter,
  ServiceLogger,
  createValidationPipe,
  requireJsonBody,
  requireUtf8Body,
} from '@app/platform';
import { AppModule } from './app.module';
import { translateError } from './errors/translate-error';
import { openApiDocument } from './openapi/openapi-document';

export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  options: { runProjections?: boolean; logger?: false | ('log' | 'error' | 'warn' | 'debug')[] } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, databaseUrl, runProjections: options.runProjections ?? true }),
    { bodyParser: false, logger: options.logger ?? new ServiceLogger(config.logLevel) },
  );
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(
    helmet({
      // The docs UI loads its own inline scripts and styles.
      contentSecurityPolicy: false,
    }),
  );
  app.use(requireJsonBody);
  app.use(json({ limit: config.bodyLimit, verify: requireUtf8Body }));
  app.use(urlencoded({ extended: false, limit: config.bodyLimit, verify: requireUtf8Body }));
  app.useGlobalFilters(new ProblemFilter([translateError]));
  app.useGlobalPipes(createValidationPipe());

  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  return app;
}
