/** The service's connection pool, with transactions that retry on deadlocks and serialization failures. */
import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { type TransactionOptions, inTransaction } from './transaction';

export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** A transaction in progress. `kind` lets it stand for the event store's StoreTransaction. */
export class Transaction implements Queryable {
  readonly kind = 'store-transaction' as const;
  private savepoints = 0;

  constructor(readonly client: PoolClient) {}

  async query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<R>> {
    return this.client.query<R>(text, params as unknown[]);
  }

  /** Runs `work` under a savepoint: on error only its own writes are undone, then the error is rethrown. */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const name = `sp_${++this.savepoints}`;
    await this.client.query(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }
}

const RETRYABLE = new Set(['40001', '40P01']);
/**
 * SQLSTATEs and socket errors that mean "the database is not available right now" (answered 503 with
 * Retry-After, never 500): admin or crash shutdown (57P01, 57P02), cannot connect now (57P03: starting
 * up, shutting down, in recovery), too many connections (53300), every connection exception (08xxx),
 * and the sockets' refusals, resets and timeouts.
 */
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Messages of the same conditions without a code of their own: pg-pool's "timeout exceeded when trying
 * to connect" (every connection busy), pg's "Connection terminated", "connection timeout" and
 * "Client has encountered a connection error", and "database ... is not currently accepting
 * connections" (SQLSTATE 55000, ALTER DATABASE ... ALLOW_CONNECTIONS false; 55000 alone also means
 * other things, so the message decides).
 */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|is not currently accepting connections/i;

/** Duck-typed: socket errors come from Node's own realm, where `instanceof Error` of another realm fails. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // A connection to every address of a host name failed (AggregateError).
  if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}

export class Database implements Queryable {
  readonly pool: Pool;

  constructor(
    readonly url: string,
    poolSize: number,
  ) {
    this.pool = new Pool({
      connectionString: url,
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      application_name: 'referral-ledger',
    });
    // An idle client losing its connection (database restart) must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<R>> {
    return this.pool.query<R>(text, params as unknown[]);
  }

  /**
   * Runs `work` in a transaction on a pooled connection, retried (up to `attempts`, default 5) on
   * deadlocks and serialization failures.
   */
  async transaction<T>(
    work: (tx: Transaction) => Promise<T>,
    options: TransactionOptions & { readonly attempts?: number } = {},
  ): Promise<T> {
    const attempts = options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      // pg-pool drops its own 'error' listener while a client is checked out: without one, the server
      // ending the connection between two queries of the transaction (a restart) would crash the process.
      // The next query on the client then fails with a connection error, which rolls the transaction back.
      let broken = false;
      const onConnectionError = () => {
        broken = true;
      };
      client.on('error', onConnectionError);
      try {
        return await inTransaction(client, () => work(new Transaction(client)), {
          ...options,
          onRollbackFailed: onConnectionError,
        });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < attempts) continue;
        throw error;
      } finally {
        client.removeListener('error', onConnectionError);
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
