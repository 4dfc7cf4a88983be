/** Maps errors of the store and the domain to HTTP problems. */
import { ConcurrencyError, EventIdConflictError } from '@app/event-store';
import { domainRuleStatus, isDomainRuleViolation } from '@app/domain';
import { ProblemError } from '@app/platform';
import { ProjectionNotRebuildableError } from '@app/projections';

/** Unique indexes whose violation means "this code is taken" (a race the handlers' checks can lose). */
const CODE_UNIQUE_INDEXES: Readonly<Record<string, string>> = {
  partners_code_unique: 'The partner code is taken',
  links_code_unique: 'The link code is taken',
};

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
  if (isDomainRuleViolation(error)) {
    return new ProblemError(
      domainRuleStatus(error.code),
      error.message,
      error.path === undefined ? undefined : [{ path: error.path, message: error.message }],
      {},
      error.code,
    );
  }
  if (typeof error === 'object' && error !== null) {
    // PostgreSQL unique violation (23505); `constraint` names the index.
    const { code, constraint } = error as { code?: unknown; constraint?: unknown };
    const detail =
      code === '23505' && typeof constraint === 'string' ? CODE_UNIQUE_INDEXES[constraint] : undefined;
    if (detail) return new ProblemError(409, detail, undefined, {}, 'code-taken');
  }
  if (error instanceof ProjectionNotRebuildableError) {
    return new ProblemError(409, error.message, undefined, {}, 'not-rebuildable');
  }
  return null;
}
