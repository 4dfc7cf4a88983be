/** Turns every error into application/problem+json, without stack traces. */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '../database/database';
import { problem, ProblemError, type ProblemDocument } from './problem';

/** Maps errors from other layers (the domain, the store) to problems; registered by the app. */
export type ErrorTranslator = (error: unknown) => ProblemError | null;

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly translators: readonly ErrorTranslator[] = []) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { body, headers } = this.toProblem(error);
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  toProblem(error: unknown): { body: ProblemDocument; headers: Record<string, string> } {
    if (error instanceof ProblemError) return { body: error.toProblem(), headers: { ...error.headers } };
    for (const translate of this.translators) {
      const translated = translate(error);
      if (translated) return { body: translated.toProblem(), headers: { ...translated.headers } };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response
          ? String(response.message)
          : error.message;
      return {
        body: problem(status, status === 404 && /^Cannot /.test(message) ? 'No such route' : message),
        headers: {},
      };
    }
    // body-parser errors (malformed JSON, too large) carry a status and a type.
    const parserError = error as { status?: number; type?: string; expose?: boolean; message?: string };
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      const detail =
        parserError.type === 'entity.parse.failed' ? 'The body is not valid JSON' : parserError.message;
      return { body: problem(parserError.status, detail), headers: {} };
    }
    if (isDatabaseUnavailable(error)) {
      this.logger.warn(`database unavailable: ${(error as Error).message}`);
      return {
        body: problem(503, 'The database is unavailable; retry later'),
        headers: { 'Retry-After': '1' },
      };
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return { body: problem(500, 'Something went wrong on our side'), headers: {} };
  }
}
