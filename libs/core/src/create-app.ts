/** Builds the HTTP application exactly as production runs it; tests use the same function. */
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { type NextFunction, type Request, type Response, json, urlencoded } from 'express';
import helmet from 'helmet';
import {
  type AppConfig,
  ProblemFilter,
  ServiceLogger,
  createValidationPipe,
  problem,
  requireJsonBody,
  requireUtf8Body,
} from '@app/platform';
import { AppModule } from './app.module';
import { translateError } from './errors/translate-error';
import { openApiDocument } from './openapi/openapi-document';
import { defaultWebAppDir, serveWebApp } from './partner-center/web-app';

export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  options: { logger?: false | ('log' | 'error' | 'warn' | 'debug')[] } = {},
): Promise<NestExpressApplication> {
  // ROLE=api serves HTTP only; worker and all run the projections and the worker tasks too.
  const background = config.role !== 'api';
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, databaseUrl, runProjections: background, runWorkerTasks: background }),
    { bodyParser: false, logger: options.logger ?? new ServiceLogger(config.logLevel) },
  );
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  if (config.role === 'worker') {
    // A worker's HTTP port is for its health checks only.
    app.use((request: Request, response: Response, next: NextFunction) => {
      if (request.path === '/health' || request.path === '/health/ready') return next();
      response
        .status(404)
        .type('application/problem+json')
        .send(JSON.stringify(problem(404, 'A worker process serves /health and /health/ready only')));
    });
  }
  app.use(
    helmet({
      // The docs UI loads its own inline scripts and styles.
      contentSecurityPolicy: false,
    }),
  );
  app.use(requireJsonBody);
  app.use(json({ limit: config.bodyLimit, verify: requireUtf8Body }));
  app.use(urlencoded({ extended: false, limit: config.bodyLimit, verify: requireUtf8Body }));
  serveWebApp(app, config.partnerCenterDir ?? defaultWebAppDir(), config.publicBaseUrl);
  app.useGlobalFilters(new ProblemFilter([translateError]));
  app.useGlobalPipes(createValidationPipe());

  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  return app;
}
