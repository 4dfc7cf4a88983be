/**
 * The service under test as a child process (the built `apps/api` main, exactly as production starts
 * it), so that its memory is its own: peak RSS is the kernel's VmHWM of that process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** dist/bench/service.js -> dist/apps/api/src/main.js */
export const SERVICE_MAIN = resolve(__dirname, '../apps/api/src/main.js');

export interface ServiceOptions {
  readonly databaseUrl: string;
  readonly port: number;
  readonly adminApiKey: string;
  /** Directory for a V8 CPU profile (node --cpu-prof), written when the service exits. */
  readonly cpuProfileDir: string | null;
  /** More settings (ROLE, NATS_*). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface MemorySample {
  /** Resident set now. */
  readonly rssBytes: number;
  /** The process's peak resident set so far. */
  readonly peakRssBytes: number;
}

/** Variables of the bench's own environment that must not leak into the service's configuration. */
const SERVICE_VARIABLES = ['DATABASE_URL', 'EMBEDDED_PG_DIR', 'EMBEDDED_PG_PORT', 'PORT', 'ADMIN_API_KEY'];

export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly lines: string[] = [];

  constructor(private readonly options: ServiceOptions) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  logTail(count = 40): string {
    return this.lines.slice(-count).join('\n');
  }

  private record(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      this.lines.push(line);
      if (this.lines.length > 400) this.lines.shift();
    }
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (!existsSync(SERVICE_MAIN)) throw new Error(`${SERVICE_MAIN} is missing: run npm run build first`);
    const env: Record<string, string | undefined> = { ...process.env };
    for (const name of SERVICE_VARIABLES) delete env[name];
    const nodeArgs = this.options.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${this.options.cpuProfileDir}`]
      : [];
    const child = spawn(process.execPath, [...nodeArgs, SERVICE_MAIN], {
      env: {
        ...env,
        NODE_ENV: 'production',
        DATABASE_URL: this.options.databaseUrl,
        PORT: String(this.options.port),
        ADMIN_API_KEY: this.options.adminApiKey,
        PUBLIC_BASE_URL: 'https://track.example.com',
        LOG_LEVEL: 'warn',
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.record(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.record(chunk));
    const state: { exitCode: string | null } = { exitCode: null };
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        state.exitCode = signal ?? String(code);
        if (this.child === child) this.child = null;
        done();
      }),
    );
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (state.exitCode !== null)
        throw new Error(`the service exited (${state.exitCode}) while starting:\n${this.logTail()}`);
      const healthy = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(2_000) })
        .then((r) => r.status === 200)
        .catch(() => false);
      if (healthy) return;
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`the service did not become healthy within ${timeoutMs} ms:\n${this.logTail()}`);
      }
      await sleep(100);
    }
  }

  /** VmRSS and VmHWM from /proc (Linux); null when the process is gone or /proc is not there. */
  memory(): MemorySample | null {
    const pid = this.pid;
    if (pid === null) return null;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (field: string) =>
        Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssBytes: kb('VmRSS') * 1024, peakRssBytes: kb('VmHWM') * 1024 };
    } catch {
      return null;
    }
  }

  /** SIGTERM (the service closes its pool and, with --cpu-prof, writes the profile), then SIGKILL. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }
}
