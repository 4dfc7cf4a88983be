/**
 * Runs the built service (`node …/apps/api/src/main.js`) as a child process, so that reliability tests can
 * SIGKILL it and start it again exactly as an operator would. The service is compiled once into a private
 * directory (.data/reliability-build/<source version>), not dist/: `npm run build` empties dist/ first, which would pull the
 * rug from under anyone else running the service from there at the same moment.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = resolve(__dirname, '../..');
/** One directory per source version; a build appears there complete (renamed in) or not at all. */
const BUILDS = join(ROOT, '.data/reliability-build');
const LOCK = join(ROOT, '.data/reliability-build.lock');
const SOURCE_DIRS = ['apps', 'libs'].map((d) => join(ROOT, d));
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;
const KEEP_OLD_BUILDS_MS = 60 * 60_000;

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith('.ts') && !TEST_FILE.test(entry.name))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function run(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** mkdir is atomic: the one process that creates the directory builds, the others wait for it. */
async function withLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(BUILDS, { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than any build is left over from a killed run.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000)
        rmSync(LOCK, { recursive: true });
      if (Date.now() > deadline) throw new Error(`could not take the build lock ${LOCK}`);
      await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Compiles the service (tsc + tsc-alias, as `npm run build` does) unless a build of the current sources
 * exists; returns the path of its main.js. Builds never change once made, so a service started from one
 * keeps running while another test builds newer sources. Type errors elsewhere in a tree that others are
 * editing do not stop the build as long as JavaScript was emitted; they are printed.
 */
export async function buildService(): Promise<string> {
  const version = String(Math.floor(Math.max(...SOURCE_DIRS.map(newestSourceMtime))));
  const dir = join(BUILDS, version);
  const main = join(dir, 'apps/api/src/main.js');
  if (existsSync(main)) return main;
  return withLock(async () => {
    if (existsSync(main)) return main;
    const staging = `${dir}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const tsc = await run([
      require.resolve('typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      staging,
    ]);
    if (!existsSync(join(staging, 'apps/api/src/main.js')))
      throw new Error(`the service did not build:\n${tsc.output}`);
    if (tsc.code !== 0) console.warn(`tsc reported errors (JavaScript was emitted anyway):\n${tsc.output}`);
    const alias = await run([
      require.resolve('tsc-alias/dist/bin/index.js'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      staging,
    ]);
    if (alias.code !== 0) throw new Error(`tsc-alias failed:\n${alias.output}`);
    renameSync(staging, dir);
    for (const old of readdirSync(BUILDS)) {
      const path = join(BUILDS, old);
      if (old !== version && Date.now() - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS)
        rmSync(path, { recursive: true, force: true });
    }
    return main;
  });
}

/** A TCP port nobody listens on right now. */
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Stops a PostgreSQL left running on `dataDir` (the service's embedded server outlives a SIGKILLed
 * service: the next start adopts it). Fast shutdown (SIGINT), then SIGKILL if it does not go.
 */
export async function stopPostgresOn(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  process.kill(pid, 'SIGINT');
  if (!(await waitUntilGone(pid, 15_000))) process.kill(pid, 'SIGKILL');
}

export interface ServiceProcessOptions {
  readonly port: number;
  /** DATABASE_URL, or EMBEDDED_PG_DIR and EMBEDDED_PG_PORT, and anything else to set. */
  readonly env: Readonly<Record<string, string>>;
  readonly adminApiKey: string;
}

/** Variables of the test process that must not leak into the service's configuration. */
const SERVICE_VARIABLES = ['DATABASE_URL', 'EMBEDDED_PG_DIR', 'EMBEDDED_PG_PORT', 'PORT', 'ADMIN_API_KEY'];

export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly lines: string[] = [];
  /** How many times the process was started (the first start included). */
  starts = 0;

  constructor(
    private readonly main: string,
    private readonly options: ServiceProcessOptions,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** The last lines the service printed, for failure messages. */
  logTail(count = 60): string {
    return this.lines.slice(-count).join('\n');
  }

  private record(prefix: string, chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      this.lines.push(`${prefix} ${line}`);
      if (this.lines.length > 400) this.lines.shift();
    }
  }

  /** Spawns the service and resolves once GET /health answers 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.child) throw new Error('the service is already running');
    const env: Record<string, string | undefined> = { ...process.env };
    for (const name of SERVICE_VARIABLES) delete env[name];
    const child = spawn(process.execPath, [this.main], {
      cwd: ROOT,
      env: {
        ...env,
        PORT: String(this.options.port),
        ADMIN_API_KEY: this.options.adminApiKey,
        PUBLIC_BASE_URL: 'https://track.example.com',
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.starts++;
    const generation = this.starts;
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.record(`[${generation}]`, chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.record(`[${generation}!]`, chunk));
    const exit: { code: string | null } = { code: null };
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        exit.code = signal ?? String(code);
        if (this.child === child) this.child = null;
        done();
      }),
    );
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exit.code !== null) {
        throw new Error(`the service exited (${exit.code}) while starting:\n${this.logTail()}`);
      }
      const healthy = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(2_000) })
        .then((r) => r.status === 200)
        .catch(() => false);
      if (healthy) return;
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`the service did not become healthy within ${timeoutMs} ms:\n${this.logTail()}`);
      }
      await sleep(100);
    }
  }

  /** SIGKILL: no shutdown hooks run, open transactions are cut off mid-flight. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the service closes its connections and stops the embedded PostgreSQL it runs or adopted. */
  async stop(timeoutMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const giveUp = new AbortController();
    const stopped = await Promise.race([
      this.exited.then(() => true),
      sleep(timeoutMs, false, { signal: giveUp.signal }).catch(() => false),
    ]);
    giveUp.abort();
    if (!stopped) await this.kill();
  }
}

/**
 * An embedded PostgreSQL that a test starts and stops itself, through the service's own
 * startEmbeddedDatabase, run in a small node process of its own: jest's module system cannot load the
 * ES-module package that ships the PostgreSQL binaries.
 */
export class DatabaseProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    /** main.js of a build from buildService(); the compiled platform lib sits next to it. */
    private readonly main: string,
    readonly dataDir: string,
    readonly port: number,
  ) {}

  /** Starts PostgreSQL (initialising the data directory the first time); resolves with its URL. */
  async start(timeoutMs = 60_000): Promise<string> {
    if (this.child) throw new Error('the database is already running');
    const module = resolve(this.main, '../../../../libs/platform/src/database/embedded-postgres.js');
    const script = `
      const { startEmbeddedDatabase } = require(process.env.RL_DB_MODULE);
      startEmbeddedDatabase({
        dataDir: process.env.RL_DB_DIR, port: Number(process.env.RL_DB_PORT),
        database: 'referral_ledger', persistent: true,
      }).then((db) => {
        const stop = () => db.stop().finally(() => process.exit(0));
        process.once('SIGTERM', stop);
        process.stdout.write('READY ' + db.url + '\\n');
      }, (error) => { console.error(error); process.exit(1); });`;
    const child = spawn(process.execPath, ['-e', script], {
      cwd: ROOT,
      env: { ...process.env, RL_DB_MODULE: module, RL_DB_DIR: this.dataDir, RL_DB_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    let output = '';
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`PostgreSQL did not start:\n${output}`)), timeoutMs);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const ready = /READY (\S+)/.exec(output);
        if (ready) {
          clearTimeout(timer);
          done(ready[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (this.child === child) this.child = null;
        fail(new Error(`the database process exited (${code}):\n${output}`));
      });
    });
  }

  /** Fast shutdown, as an operator restarting PostgreSQL would do; waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child) {
      child.kill('SIGTERM');
      await this.exited;
      this.child = null;
    }
    await stopPostgresOn(this.dataDir);
  }
}
