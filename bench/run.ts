/**
 * `npm run bench [-- --quick | --events N] [--seed N] [--store-events N] [--report-requests N] [--profile] [--keep]
 *   [--label NAME] [--only hot-paths]`
 *
 * Builds a realistic workload through the public HTTP API of the service (started as a child process
 * on a fresh database) and writes the figures to bench/results/<YYYY-MM-DD>[-quick].{json,md}.
 * Everything it starts (the service, the embedded PostgreSQL) is stopped again, also on error or Ctrl-C.
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import {
  type CatchUpResult,
  type KeysetReadResult,
  TransactionWatch,
  copyLog,
  meanCatchUp,
  rawKeysetRead,
  timeCatchUp,
} from './catch-up';
import { freePort, startBenchServer } from './database';
import { Api } from './http';
import { type HotPaths, measureHotPaths } from './hot-paths';
import { compareIngestPaths, type IngestPaths } from './ingest-paths';
import { BenchStream } from './jetstream';
import { profileMarkdown, summarizeProfile } from './profile';
import { type BenchResult, evaluateTargets, toMarkdown } from './results';
import {
  type Log,
  MemoryWatch,
  asOfReplay,
  batchedIngest,
  busiestPartner,
  caughtUp,
  configure,
  rebuildAll,
  reportLatencies,
  singleIngest,
  waitForProjections,
} from './scenario';
import { ServiceProcess } from './service';
import { simulations } from './simulation';
import { perSecond, round, since } from './stats';
import { type StoreComparison, compareStores } from './stores';
import { Workload, shapeFor } from './workload';

interface Options {
  readonly mode: 'full' | 'quick' | 'custom';
  readonly envelopes: number;
  readonly seed: number;
  /** Events copied into each append target; 0 skips the comparison. */
  readonly storeEvents: number;
  readonly reportRequests: number;
  readonly profile: boolean;
  readonly keep: boolean;
  /** Appended to the results' file names (`<date>-quick-<label>`), so that a run keeps earlier ones. */
  readonly label: string | null;
  /** Only this section (after the setup); its figures are printed, no results are written. */
  readonly only: 'hot-paths' | null;
}

const USAGE =
  'usage: npm run bench [-- --quick | --events N] [--seed N] [--store-events N] [--report-requests N] [--profile] [--keep] [--label NAME] [--only hot-paths]';

function parseOptions(argv: readonly string[]): Options {
  let mode: Options['mode'] = 'full';
  let envelopes = 1_000_000;
  let seed = 20_251;
  let storeEvents = Number.POSITIVE_INFINITY;
  let reportRequests = 50;
  let profile = false;
  let keep = false;
  let label: string | null = null;
  let only: Options['only'] = null;
  const number = (flag: string, value: string | undefined, min: number): number => {
    const parsed = Number(value);
    if (value === undefined || !Number.isInteger(parsed) || parsed < min)
      throw new Error(`${flag} needs an integer >= ${min}\n${USAGE}`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--quick':
        mode = 'quick';
        envelopes = 50_000;
        break;
      case '--events':
        mode = 'custom';
        envelopes = number(arg, argv[++i], 1000);
        break;
      case '--seed':
        seed = number(arg, argv[++i], 0);
        break;
      case '--store-events':
        storeEvents = number(arg, argv[++i], 0);
        break;
      case '--report-requests':
        reportRequests = number(arg, argv[++i], 1);
        break;
      case '--profile':
        profile = true;
        break;
      case '--keep':
        keep = true;
        break;
      case '--label': {
        const value = argv[++i] ?? '';
        if (!/^[a-z0-9-]+$/.test(value)) throw new Error(`--label needs a name of a-z, 0-9 and -\n${USAGE}`);
        label = value;
        break;
      }
      case '--only':
        if (argv[++i] !== 'hot-paths') throw new Error(`--only knows hot-paths\n${USAGE}`);
        only = 'hot-paths';
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (envelopes === 1_000_000 && mode === 'custom') mode = 'full';
  // A prefix of the log, the same for every writer: Emmett appends ~1-2k events/s here, so copying the
  // whole log of a full run would add most of an hour.
  if (storeEvents === Number.POSITIVE_INFINITY) storeEvents = mode === 'quick' ? 25_000 : 200_000;
  return { mode, envelopes, seed, storeEvents, reportRequests, profile, keep, label, only };
}

/** Undo steps, run once, last registered first. */
class Cleanup {
  private readonly steps: (() => Promise<void>)[] = [];
  private running: Promise<void> | null = null;

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        await step().catch((error: unknown) => console.error('cleanup:', error));
      }
    })();
    return this.running;
  }
}

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
/** Requests and JetStream fetches of the ingest-path comparison: the same size for every path. */
const PATH_BATCH_SIZE = 250;
/** Concurrent connections of the hot-path figures (redirect, single event, INSERT ceiling). */
const HOT_PATH_CLIENTS = 16;
/** The repository root: the nearest folder above the compiled file that has a package.json. */
function repositoryRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

const RESULTS_DIR = join(repositoryRoot(), 'bench/results');

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const started = performance.now();
  const stamp = `${startedAt.toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${process.pid}`;
  const log: Log = (line) => console.error(`[bench ${round(since(started) / 1000)}s] ${line}`);
  const cleanup = new Cleanup();
  const interrupted = (signal: string) => {
    log(`${signal}: stopping the service and the database`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupted('SIGINT'));
  process.once('SIGTERM', () => interrupted('SIGTERM'));

  try {
    const profileDir = options.profile ? resolve(`.data/bench-profiles/${stamp}`) : null;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const serverLog: string[] = [];
    const server = await startBenchServer({
      stamp,
      keep: options.keep,
      log,
      ...(options.profile ? { serverLog: (line: string) => serverLog.push(line), statementStats: true } : {}),
    });
    cleanup.add(() => server.close());
    const serviceUrl = await server.createDatabase('service');
    const postgres =
      (await server.query<{ v: string }>('postgres', "SELECT current_setting('server_version') AS v"))[0]
        ?.v ?? '?';
    if (options.profile && server.dataDir) {
      // Plans of statements slower than 40 ms land in the server log (embedded server only).
      await withClient(serviceUrl, async (client) => {
        const db = client.escapeIdentifier(new URL(serviceUrl).pathname.slice(1));
        await client.query(`ALTER DATABASE ${db} SET session_preload_libraries = 'auto_explain'`);
        await client.query(`ALTER DATABASE ${db} SET auto_explain.log_min_duration = '40ms'`);
        await client.query(`ALTER DATABASE ${db} SET auto_explain.log_analyze = 'on'`);
        await client.query(`ALTER DATABASE ${db} SET auto_explain.log_buffers = 'on'`);
      });
    }

    // The machine's NATS JetStream, for the broker ingest figure (skipped when none answers).
    const natsUrl = process.env['BENCH_NATS_URL'] ?? 'nats://127.0.0.1:4222';
    const stream = await BenchStream.open(natsUrl, stamp);
    if (stream) cleanup.add(() => stream.close());
    else log(`no NATS JetStream at ${natsUrl}: the JetStream ingest figure is skipped`);
    const natsEnv = stream?.env(PATH_BATCH_SIZE) ?? {};

    const service = new ServiceProcess({
      databaseUrl: serviceUrl,
      port: await freePort(),
      adminApiKey: ADMIN_KEY,
      cpuProfileDir: profileDir,
      env: natsEnv,
    });
    cleanup.add(() => service.stop());
    log(`starting the service (${options.mode}, ${options.envelopes} envelopes, seed ${options.seed})`);
    await service.start();
    const memory = new MemoryWatch(service);
    memory.start();
    cleanup.add(async () => memory.stop());
    const api = new Api(service.baseUrl, ADMIN_KEY);
    const workload = new Workload(shapeFor(options.envelopes, options.seed));
    const transactions = new TransactionWatch(serviceUrl);
    await transactions.start();
    cleanup.add(() => transactions.stop());

    memory.enter('setup');
    const setup = await configure(api, workload, log);
    const hotPaths = (): Promise<HotPaths> => {
      log(`hot paths at ${HOT_PATH_CLIENTS} connections: INSERT ceiling, redirect, single-event ingest`);
      return measureHotPaths({
        server,
        baseUrl: service.baseUrl,
        adminKey: ADMIN_KEY,
        shape: workload.shape,
        clients: HOT_PATH_CLIENTS,
        durationMs: options.mode === 'full' ? 15_000 : 5_000,
        log,
      });
    };
    if (options.only === 'hot-paths') {
      // With --profile: the statements of the hot paths alone, and the service's CPU profile, on stderr.
      if (options.profile) await server.query('postgres', 'SELECT pg_stat_statements_reset()');
      console.log(JSON.stringify(await hotPaths(), null, 2));
      if (profileDir) {
        for (const st of await server.topStatements('service', 25))
          log(`  ${st.totalMs} ms, ${st.calls} calls, mean ${st.meanMs} ms: ${st.query.slice(0, 200)}`);
        await service.stop();
        const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
        if (file) log(profileMarkdown(summarizeProfile(join(profileDir, file), 30)));
      }
      return;
    }

    memory.enter('batched ingest');
    transactions.enter('batched ingest');
    log(`batched ingest of ${options.envelopes} envelopes in requests of 1000`);
    const batched = await batchedIngest(api, workload, 1000, log);
    log(
      `  ${batched.envelopesPerSecond} envelopes/s; accepted ${batched.accepted}, duplicate ${batched.duplicate}, rejected ${batched.rejected}`,
    );
    for (const rejection of batched.rejections) log(`  rejected: ${rejection}`);
    const drainStarted = performance.now();
    const drainMs = await waitForProjections(api, caughtUp, 3_600_000);
    const drainAfterIngestMs = round(since(drainStarted));
    log(`  projections caught up ${round(drainMs / 1000, 1)} s after the last batch`);
    const logAfterBatches = await withClient(serviceUrl, async (client) => {
      const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
      return Number(rows[0]?.n ?? 0);
    });

    memory.enter('single ingest');
    transactions.enter('single ingest');
    log(`single-event ingest: ${workload.shape.singles} requests at concurrency 16`);
    const single = await singleIngest(api, workload, 16);
    log(
      `  ${single.requestsPerSecond} requests/s, p50 ${single.latency.p50Ms} ms, p99 ${single.latency.p99Ms} ms`,
    );
    await waitForProjections(api, caughtUp, 3_600_000);

    memory.enter('hot paths');
    transactions.enter('hot paths');
    const hot = await hotPaths();
    await waitForProjections(api, caughtUp, 3_600_000);

    const logEventsByType = await withClient(serviceUrl, async (client) => {
      const { rows } = await client.query<{ type: string; n: string }>(
        'SELECT type, count(*)::text AS n FROM events GROUP BY type ORDER BY count(*) DESC',
      );
      return Object.fromEntries(rows.map((row) => [row.type, Number(row.n)]));
    });
    const logEvents = Object.values(logEventsByType).reduce((sum, n) => sum + n, 0);

    memory.enter('reports');
    transactions.enter('reports');
    const busiest = await busiestPartner(api, workload.shape.year, workload.busiestPartnerId);
    log(`report latencies (${options.reportRequests} requests each)`);
    const reports = await reportLatencies(api, workload.shape.year, options.reportRequests, busiest, log);

    memory.enter('as-of replay');
    const asOf = await asOfReplay(api, busiest, Math.min(10, options.reportRequests));
    log(`as-of ledger of ${busiest}: p50 ${asOf.latency.p50Ms} ms over ${asOf.checkedEvents} events`);

    memory.enter('simulation');
    log('what-if simulations over a month and over the year');
    const simulation = await simulations(api, service, workload.shape.year, log);
    memory.enter('verify');
    transactions.enter('verify');
    log('verify (GET /v1/audit/verify)');
    const verifyStarted = performance.now();
    const verified = await api.request<{
      consistent: boolean;
      checkedEvents: number;
      differences: unknown[];
    }>('GET', '/v1/audit/verify', undefined, 3_600_000);
    const verify = {
      ms: round(since(verifyStarted)),
      consistent: verified.body.consistent,
      checkedEvents: verified.body.checkedEvents,
      differences: verified.body.differences.length,
    };
    log(`  ${round(verify.ms / 1000, 1)} s, consistent: ${verify.consistent}`);

    memory.enter('rebuild');
    transactions.enter('rebuild');
    log('rebuilding every report projection from the start of the log');
    const rebuild = await rebuildAll(api, log);
    const catchUpByProjection = Object.fromEntries(
      Object.entries(rebuild.msByProjection).map(([name, ms]) => [name, perSecond(logEvents, ms)]),
    );

    memory.sample();
    const peakRssBytes = service.memory()?.peakRssBytes ?? Number.NaN;
    memory.stop();

    const envelopesPerPath = Math.min(20_000, Math.max(1_000, Math.round(options.envelopes / 10)));
    log(`ingest paths: ${envelopesPerPath} envelopes each through HTTP (1 and 2 processes) and JetStream`);
    const ingestPaths: IngestPaths = await compareIngestPaths({
      api,
      stream,
      shape: workload.shape,
      envelopesPerPath,
      batchSize: PATH_BATCH_SIZE,
      log,
      secondApi: async () => {
        const second = new ServiceProcess({
          databaseUrl: serviceUrl,
          port: await freePort(),
          adminApiKey: ADMIN_KEY,
          cpuProfileDir: null,
          env: { ...natsEnv, ROLE: 'api' },
        });
        cleanup.add(() => second.stop());
        await second.start();
        return new Api(second.baseUrl, ADMIN_KEY);
      },
    });
    log('stopping the service');
    await service.stop();
    transactions.enter('stopped');

    log('raw keyset read of the whole log (pages of 10,000)');
    const rawRead: KeysetReadResult = await rawKeysetRead(serviceUrl);
    log(`  ${rawRead.eventsPerSecond} events/s (${rawRead.events} events in ${round(rawRead.ms)} ms)`);
    // In order, back-dated, back-dated, in order (ABBA): other work on the machine drifts, and the
    // mean of each variant's two runs cancels a steady drift out of their ratio.
    const runs: Record<'in order' | 'back-dated', CatchUpResult[]> = { 'in order': [], 'back-dated': [] };
    const order = ['in order', 'back-dated', 'back-dated', 'in order'] as const;
    for (const [index, variant] of order.entries()) {
      log(`catch-up from zero on a copy of the log, ${variant} (${index + 1} of ${order.length})`);
      const copyUrl = await server.createDatabase(
        `${variant === 'in order' ? 'inorder' : 'backdated'}${index}`,
      );
      const copyService = new ServiceProcess({
        databaseUrl: copyUrl,
        port: await freePort(),
        adminApiKey: ADMIN_KEY,
        cpuProfileDir: null,
      });
      cleanup.add(() => copyService.stop());
      await copyService.start();
      const watch = new TransactionWatch(copyUrl);
      await watch.start();
      watch.enter(variant);
      try {
        const copy = await copyLog(serviceUrl, copyUrl, variant === 'back-dated');
        if (variant === 'back-dated')
          log(`  back-dated ${copy.backDatedEnvelopes} envelopes (${copy.backDatedEvents} events)`);
        runs[variant].push(
          await timeCatchUp(new Api(copyService.baseUrl, ADMIN_KEY), copy, watch, variant, log),
        );
      } finally {
        await watch.stop();
        await copyService.stop();
      }
    }
    const catchUps = {
      'in order': meanCatchUp(runs['in order']),
      'back-dated': meanCatchUp(runs['back-dated']),
    };

    let stores: StoreComparison | null = null;
    if (options.storeEvents > 0) {
      const limit = Math.min(options.storeEvents, logEvents);
      log(`append comparison on ${limit} events: raw unnest, Emmett, ours, candidate`);
      stores = await compareStores({
        server,
        sourceUrl: serviceUrl,
        limit,
        chunkSize: 1000,
        pageSize: 10_000,
        emmettConcurrency: 8,
        log,
      });
      for (const writer of stores.writers) log(`  ${writer.writer}: ${writer.eventsPerSecond} events/s`);
    }

    let profile: BenchResult['profile'] = null;
    let profileSection = '';
    if (profileDir) {
      const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
      const slowLog = join(profileDir, 'postgres.log');
      writeFileSync(slowLog, serverLog.join('\n'));
      profile = { cpuProfile: file ? join(profileDir, file) : null, slowQueryLog: slowLog };
      if (file)
        profileSection = `\n## Profile\n\n${profileMarkdown(summarizeProfile(join(profileDir, file)))}`;
      profileSection += `\nPostgreSQL log with auto_explain plans of statements over 40 ms: \`${slowLog}\`.\n`;
      const databases: [string, number][] = [
        ['service', 30],
        ...(stores
          ? (['append_ours', 'append_candidate', 'append_emmett', 'append_raw'] as const).map(
              (d): [string, number] => [d, 8],
            )
          : []),
      ];
      for (const [database, limit] of databases) {
        const statements = await server.topStatements(database, limit);
        if (statements.length === 0) continue;
        profileSection += [
          '',
          `### Statements by total time in database ${database} (pg_stat_statements, track = all: a function call and the statements inside it both count)`,
          '',
          '| total ms | calls | mean ms | rows | statement |',
          '|---:|---:|---:|---:|---|',
          ...statements.map(
            (st) =>
              `| ${st.totalMs} | ${st.calls} | ${st.meanMs} | ${st.rows} | \`${st.query.slice(0, 220).replace(/\|/g, '\\|')}\` |`,
          ),
          '',
        ].join('\n');
      }
    }

    const partial: Omit<BenchResult, 'targets'> = {
      date: startedAt.toISOString().slice(0, 10),
      startedAt: startedAt.toISOString(),
      durationMs: round(since(started)),
      mode: options.mode,
      profiled: options.profile,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? '?',
        memoryGb: round(totalmem() / 1024 ** 3, 1),
        node: process.version,
        postgres: `PostgreSQL ${postgres}`,
        database: server.description,
      },
      workload: { shape: workload.shape, sent: workload.counts, logEvents, logEventsByType },
      setupMs: round(setup.ms),
      ingest: {
        batched: { ...batched, logEventsPerSecond: perSecond(logAfterBatches, batched.ms) },
        single,
      },
      hotPaths: hot,
      projections: {
        drainAfterIngestMs,
        liveLag: batched.lag,
        catchUpEventsPerSecond: perSecond(logEvents, rebuild.ms),
        catchUpByProjection,
      },
      readSide: {
        rawKeysetRead: rawRead,
        inOrder: catchUps['in order'],
        backDated: catchUps['back-dated'],
        longestProjectionTransactionMs: {
          ...transactions.longestMsByPhase,
          'catch-up in order': catchUps['in order'].longestTransactionMs,
          'catch-up back-dated': catchUps['back-dated'].longestTransactionMs,
        },
        verify,
      },
      reports,
      asOf,
      rebuild,
      memory: { peakRssBytes, phasePeakRssBytes: memory.phasePeaks },
      stores,
      ingestPaths,
      simulation,
      profile,
    };
    const result: BenchResult = { ...partial, targets: evaluateTargets(partial) };
    const suffix =
      (options.mode === 'full' ? '' : options.mode === 'quick' ? '-quick' : `-${options.envelopes}`) +
      (options.profile ? '-profile' : '') +
      (options.label ? `-${options.label}` : '');
    mkdirSync(RESULTS_DIR, { recursive: true });
    const base = join(RESULTS_DIR, `${result.date}${suffix}`);
    writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(`${base}.md`, toMarkdown(result) + profileSection);
    log(`wrote ${base}.json and ${base}.md`);
    for (const target of result.targets)
      log(
        `  ${target.met === null ? 'not run' : target.met ? 'met   ' : 'MISSED'} ${target.name}: ${target.measured}`,
      );
  } finally {
    await cleanup.run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
