/**
 * The one way to run a transaction on a connection the caller holds (a pool client, or a dedicated
 * client such as a projection's): BEGIN with the isolation asked for, COMMIT when the work
 * succeeds, ROLLBACK on every error, and the work's error rethrown.
 */
import type { QueryResultRow } from 'pg';

export interface TransactionOptions {
  /** Default: the server's (READ COMMITTED). REPEATABLE READ reads one snapshot throughout. */
  readonly isolation?: 'read committed' | 'repeatable read' | 'serializable';
  /** A read-only transaction takes no transaction id: it holds back no follower of the log. */
  readonly readOnly?: boolean;
}

/** What a transaction needs of a connection: pg's Client and PoolClient both are. */
export interface TransactionClient {
  query<R extends QueryResultRow = QueryResultRow>(text: string): Promise<{ rows: R[] }>;
}

export function beginStatement(options: TransactionOptions = {}): string {
  const modes = [
    ...(options.isolation ? [`ISOLATION LEVEL ${options.isolation.toUpperCase()}`] : []),
    ...(options.readOnly ? ['READ ONLY'] : []),
  ];
  return modes.length > 0 ? `BEGIN ${modes.join(', ')}` : 'BEGIN';
}

/**
 * Runs `work` in a transaction on `client`. `onRollbackFailed` hears of a ROLLBACK that failed too
 * (the connection is likely gone: a pool should not reuse it).
 */
export async function inTransaction<T>(
  client: TransactionClient,
  work: () => Promise<T>,
  options: TransactionOptions & { readonly onRollbackFailed?: (error: unknown) => void } = {},
): Promise<T> {
  try {
    // Inside the try: a BEGIN that fails (a broken connection) is answered like any other error.
    await client.query(beginStatement(options));
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client
      .query('ROLLBACK')
      .catch((rollbackError: unknown) => options.onRollbackFailed?.(rollbackError));
    throw error;
  }
}
