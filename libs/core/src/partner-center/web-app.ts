/**
 * Serves the Partner Center web app (apps/partner-center, built into dist/partner-center by `npm run
 * build`) at /partner-center/: hashed assets cached for a year, index.html for every app path (the app
 * routes with the History API), and `/` redirected there.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { static as serveStatic } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { problem } from '@app/platform';

export const PARTNER_CENTER_PATH = '/partner-center';

/** dist/partner-center of the checkout this code runs from (from source or from dist alike). */
export function defaultWebAppDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return resolve(dir, 'dist/partner-center');
}

function contentSecurityPolicy(publicBaseUrl: string): string {
  let images = "'self' data: blob:";
  try {
    images += ` ${new URL(publicBaseUrl).origin}`;
  } catch {
    // a bad base URL is refused at start; nothing to add
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${images}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function serveWebApp(app: NestExpressApplication, dir: string, publicBaseUrl: string): void {
  const csp = contentSecurityPolicy(publicBaseUrl);
  const index = join(dir, 'index.html');
  app.use(PARTNER_CENTER_PATH, (_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Content-Security-Policy', csp);
    next();
  });
  app.use(
    `${PARTNER_CENTER_PATH}/assets`,
    serveStatic(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }),
  );
  app.use(PARTNER_CENTER_PATH, serveStatic(dir, { index: false, maxAge: 0 }));
  app.use(PARTNER_CENTER_PATH, (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (!existsSync(index)) {
      const body = problem(503, 'The Partner Center is not built: run npm run build');
      response.status(503).type('application/problem+json').send(JSON.stringify(body));
      return undefined;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
    return undefined;
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method === 'GET' || request.method === 'HEAD') && request.path === '/') {
      response.redirect(302, `${PARTNER_CENTER_PATH}/`);
      return;
    }
    next();
  });
}
