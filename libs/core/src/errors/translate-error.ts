/** Maps errors of the store and the domain to HTTP problems. */
import { ConcurrencyError, EventIdConflictError } from '@app/event-store';
import { ProblemError } from '@app/platform';

export function translateError(error: unknown): ProblemError | null {
  if (error instanceof EventIdConflictError) {
    return new ProblemError(409, error.message, undefined, {}, 'event-id-conflict');
  }
  if (error instanceof ConcurrencyError) {
    return new ProblemError(
      409,
      'The resource was changed at the same moment; retry the request',
      undefined,
      {},
      'concurrent-change',
    );
  }
  return null;
}
