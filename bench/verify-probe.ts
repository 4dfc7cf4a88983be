/**
 * A focused measurement of `GET /v1/audit/verify` (not part of `npm run bench`): ingests the bench
 * workload (`--events N`, default 50k), times verify once with the service idle and once while the
 * last fifth of the workload is being ingested, and samples pg_stat_activity every 50 ms for the
 * longest transaction of verify's replay connections (named `verify:<name>`, or any connection whose
 * statement names a `__verify` table) and of each projection connection (`projection:<name>`).
 * Prints JSON. Run: `node scripts/build-if-stale.mjs && node dist/bench/verify-probe.js`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { freePort, startBenchServer } from './database';
import { Api } from './http';
import { ServiceProcess } from './service';
import { caughtUp, configure, waitForProjections } from './scenario';
import { Workload, shapeFor } from './workload';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

class Sampler {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly verifyPids = new Set<number>();
  phase = 'start';
  readonly longest: Record<string, Record<string, number>> = {};

  constructor(private readonly client: Client) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const { rows } = await this.client.query<{
          pid: number;
          app: string;
          query: string;
          ms: number | null;
        }>(
          `SELECT pid, application_name AS app, query,
                  (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::float8 AS ms
             FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
        );
        const into = (this.longest[this.phase] ??= {});
        for (const row of rows) {
          if (row.app.startsWith('verify:') || row.query.includes('__verify')) this.verifyPids.add(row.pid);
          const key = this.verifyPids.has(row.pid)
            ? 'verify'
            : row.app.startsWith('projection:')
              ? row.app
              : null;
          if (key && row.ms !== null) into[key] = Math.max(into[key] ?? 0, Math.round(row.ms));
        }
        await sleep(50);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

async function main(): Promise<void> {
  const events = Number(process.argv[process.argv.indexOf('--events') + 1] ?? 0) || 50_000;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const server = await startBenchServer({ stamp: `probe-${Date.now()}`, keep: false, log });
  const url = await server.createDatabase('service');
  const service = new ServiceProcess({
    databaseUrl: url,
    port: await freePort(),
    adminApiKey: ADMIN_KEY,
    cpuProfileDir: null,
  });
  const watcher = new Client({ connectionString: url, application_name: 'probe' });
  try {
    await service.start();
    await watcher.connect();
    const sampler = new Sampler(watcher);
    sampler.start();
    const api = new Api(service.baseUrl, ADMIN_KEY);
    const workload = new Workload(shapeFor(events, 20251));
    await configure(api, workload, log);
    const batches = [...workload.batches(1000)];
    const split = Math.floor(batches.length * 0.8);
    sampler.phase = 'ingest';
    for (const batch of batches.slice(0, split)) await api.ingest(batch, 600_000);
    await waitForProjections(api, caughtUp, 3_600_000);
    const verify = async () => {
      const started = performance.now();
      const answer = await api.request<{ consistent: boolean; checkedEvents: number }>(
        'GET',
        '/v1/audit/verify',
        undefined,
        3_600_000,
      );
      return { ms: Math.round(performance.now() - started), ...answer.body };
    };
    sampler.phase = 'verify idle';
    const idle = await verify();
    log(`verify idle: ${JSON.stringify(idle)}`);
    sampler.phase = 'verify with ingest';
    const ingest = (async () => {
      for (const batch of batches.slice(split)) await api.ingest(batch, 600_000);
    })();
    const loaded = await verify();
    log(`verify with ingest: ${JSON.stringify(loaded)}`);
    await ingest;
    sampler.phase = 'drain';
    await waitForProjections(api, caughtUp, 3_600_000);
    await sampler.stop();
    const { rows } = await watcher.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
    console.log(
      JSON.stringify(
        { envelopes: events, logEvents: Number(rows[0]?.n), idle, loaded, longestMs: sampler.longest },
        null,
        2,
      ),
    );
  } finally {
    await watcher.end().catch(() => undefined);
    await service.stop();
    await server.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
