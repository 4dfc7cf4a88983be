/**
 * A body the API would misread is refused up front: JSON sent without `content-type: application/json`
 * (curl's `-d` sends application/x-www-form-urlencoded) used to be parsed as a form with one odd key and
 * answered with a field error for every field of the request; now it is one 415 saying what to send.
 */
import type { NextFunction, Request, Response } from 'express';
import { ProblemError } from './problem';

/** Media types the API reads: JSON (also `+json` types) and, for uploads, multipart forms. */
const ACCEPTED = /^(application\/(?:[\w.-]+\+)?json|multipart\/form-data)$/i;

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function requireJsonBody(request: Request, _response: Response, next: NextFunction): void {
  if (!request.path.startsWith('/v1/') || !hasBody(request)) return next();
  const [typeAndSubtype = ''] = (request.headers['content-type'] ?? '').split(';');
  const mediaType = typeAndSubtype.trim();
  if (ACCEPTED.test(mediaType)) return next();
  next(
    new ProblemError(
      415,
      `The body must be JSON sent with content-type: application/json (got ${mediaType || 'no content-type'})`,
    ),
  );
}
