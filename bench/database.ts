/**
 * The PostgreSQL server of a run: a fresh embedded one in .data/bench-<stamp> (removed afterwards
 * unless --keep), or fresh databases on DATABASE_URL's server (dropped afterwards). Every database the
 * bench uses (the service's and the three append targets) lives on that one server.
 */
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '@app/platform';

export interface BenchServer {
  readonly description: string;
  /** The data directory of an embedded server, null on DATABASE_URL's server. */
  readonly dataDir: string | null;
  /** Creates an empty database and answers its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL as the server's admin on one database (for version and settings). */
  query<T extends Record<string, unknown>>(database: string, sql: string): Promise<T[]>;
  /** With statement statistics on (embedded --profile runs): the statements that took most time. */
  topStatements(database: string, limit: number): Promise<StatementStat[]>;
  /** Drops the databases it created, stops an embedded server and removes its data (unless kept). */
  close(): Promise<void>;
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface StatementStat {
  readonly calls: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly rows: number;
  readonly query: string;
}

export interface ServerOptions {
  readonly stamp: string;
  readonly keep: boolean;
  readonly log: (line: string) => void;
  /** Lines the embedded server prints (auto_explain plans land here). */
  readonly serverLog?: (line: string) => void;
  /**
   * Restart the embedded server with pg_stat_statements preloaded (track = all, so statements run inside
   * functions such as append_to_streams are counted too).
   */
  readonly statementStats?: boolean;
}

export async function startBenchServer(options: ServerOptions): Promise<BenchServer> {
  const created: string[] = [];
  const external = process.env['DATABASE_URL']?.trim();
  let embedded: EmbeddedDatabase | null = null;
  let dataDir: string | null = null;
  let serverUrl: string;
  let prefix = '';
  if (external) {
    serverUrl = external;
    // Unique names: other runs and test suites may share that server.
    prefix = `bench_${options.stamp.replace(/[^0-9a-z]/gi, '').toLowerCase()}_`;
  } else {
    dataDir = resolve(`.data/bench-${options.stamp}`);
    const port = await freePort();
    options.log(`starting the embedded PostgreSQL in ${dataDir} on port ${port}`);
    const start = () =>
      startEmbeddedDatabase({
        dataDir: dataDir!,
        port,
        database: 'postgres',
        persistent: true,
        log: options.serverLog ?? (() => undefined),
      });
    embedded = await start();
    if (options.statementStats) {
      await withClient(embedded.url, async (client) => {
        await client.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
        await client.query(`ALTER SYSTEM SET pg_stat_statements.track = 'all'`);
        await client.query(`ALTER SYSTEM SET pg_stat_statements.max = 10000`);
      });
      await embedded.stop();
      embedded = await start();
      await withClient(embedded.url, (client) =>
        client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'),
      );
    }
    serverUrl = embedded.url;
  }
  const adminUrl = withDatabase(serverUrl, 'postgres');
  let closed = false;
  return {
    description: external
      ? `DATABASE_URL's server (databases ${prefix}*)`
      : `embedded PostgreSQL in ${dataDir ?? ''}`,
    dataDir,
    async createDatabase(name) {
      const full = `${prefix}${name}`;
      await withClient(adminUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(full)} WITH (FORCE)`);
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(full)}`);
      });
      created.push(full);
      return withDatabase(serverUrl, full);
    },
    async query<T extends Record<string, unknown>>(database: string, sql: string) {
      const url = withDatabase(serverUrl, database === 'postgres' ? 'postgres' : `${prefix}${database}`);
      return withClient(url, async (client) => (await client.query<T>(sql)).rows);
    },
    async topStatements(database, limit) {
      if (!options.statementStats || !embedded) return [];
      return withClient(adminUrl, async (client) => {
        const { rows } = await client.query<{
          calls: string;
          total: number;
          mean: number;
          rows: string;
          query: string;
        }>(
          `SELECT s.calls::text AS calls, s.total_exec_time AS total, s.mean_exec_time AS mean, s.rows::text AS rows, s.query
             FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = $1 ORDER BY s.total_exec_time DESC LIMIT $2`,
          [`${prefix}${database}`, limit],
        );
        return rows.map((row) => ({
          calls: Number(row.calls),
          totalMs: Math.round(row.total),
          meanMs: Math.round(row.mean * 1000) / 1000,
          rows: Number(row.rows),
          query: row.query.replace(/\s+/g, ' ').trim(),
        }));
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!embedded) {
        await withClient(adminUrl, async (client) => {
          for (const name of created) {
            await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
          }
        }).catch((error: unknown) => options.log(`could not drop the bench databases: ${String(error)}`));
        return;
      }
      await embedded.stop().catch((error: unknown) => options.log(`stopping PostgreSQL: ${String(error)}`));
      if (dataDir && !options.keep && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
      if (dataDir && options.keep) options.log(`kept the data directory ${dataDir}`);
    },
  };
}
