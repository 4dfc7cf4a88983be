/**
 * The operator's and auditor's command line: `npm run --silent cli -- <command>` (--silent keeps npm's
 * banner out of the data on standard output). Uses DATABASE_URL, or the embedded PostgreSQL of a running
 * `npm start` (found through .data/service.json, whatever EMBEDDED_PG_DIR it was given), or starts it.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import {
  AppModule,
  AuditLedgerService,
  AuditVerifier,
  LedgerReportQuery,
  LedgerReportRequest,
  NOTIFICATION_STATUSES,
  WriteModelQueries,
  ledgerCsv,
  listNotifications,
} from '@app/core';
import {
  Database,
  type EmbeddedDatabase,
  loadConfig,
  runMigrations,
  runningService,
  startEmbeddedDatabase,
} from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { isCalendarDay, isIsoInstant } from '@app/domain';
import { ProgressBar } from './progress-bar';
import { SIMULATE_USAGE, simulate } from './simulate/simulate.command';

const USAGE = `Usage: npm run --silent cli -- <command> [options]

Commands:
  projections                         list projections with position, lag and status
  rebuild <name|all>                  rebuild read models from the log, with progress
  verify                              replay the log and compare it with the hash chain and every read model
  ledger-csv --from YYYY-MM-DD --to YYYY-MM-DD [--program ID]
                                      the ledger report as CSV on standard output
  partner-ledger <partnerId> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--as-of INSTANT]
                                      a partner's ledger recomputed from the log
  notifications [--status pending|sent|failed|unsent-no-transport] [--partner ID] [--limit N]
                                      partner emails in the outbox (sent or not), oldest first
${SIMULATE_USAGE}`;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (!value || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
  return value;
}

/** A day option: a real calendar day of 1970..9999, checked as the API checks it. */
function dayOption(args: string[], name: string): string | undefined {
  const value = option(args, name);
  if (value !== undefined && !isCalendarDay(value))
    throw new Error(`--${name} must be a real calendar day of the years 1970..9999, YYYY-MM-DD`);
  return value;
}

/** An instant option: a real RFC 3339 instant of 1970..9999, checked as the API checks it. */
function instantOption(args: string[], name: string): string | undefined {
  const value = option(args, name);
  if (value !== undefined && !isIsoInstant(value))
    throw new Error(`--${name} must be a real RFC 3339 instant of the years 1970..9999`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const known = [
    'projections',
    'rebuild',
    'verify',
    'ledger-csv',
    'partner-ledger',
    'notifications',
    'simulate',
  ];
  if (!known.includes(command)) throw new UsageError(`Unknown command "${command}"`);

  const config = loadConfig();
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    // The embedded database of a running `npm start`, wherever it keeps it, unless told otherwise.
    const told = process.env['EMBEDDED_PG_DIR'] || process.env['EMBEDDED_PG_PORT'];
    const service = told ? null : runningService();
    const dataDir = service?.embeddedDatabaseDir ?? config.embeddedDatabaseDir;
    const port = service?.embeddedDatabasePort ?? config.embeddedDatabasePort;
    if (service?.embeddedDatabaseDir)
      process.stderr.write(
        `Using the embedded PostgreSQL of the service running on ${service.url} (${dataDir})\n`,
      );
    embedded = await startEmbeddedDatabase({
      dataDir,
      port,
      database: 'referral_ledger',
      persistent: true,
    });
    databaseUrl = embedded.url;
  }
  await runMigrations(databaseUrl);
  // Projections run here only for a rebuild: if the service runs them, this process stands by and watches.
  // The service sends the emails and webhooks, never the command line.
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      config,
      databaseUrl,
      runProjections: command === 'rebuild',
      runWorkerTasks: false,
      runDispatchers: false,
    }),
    { logger: ['error'] },
  );
  try {
    return await run(command, args, app);
  } finally {
    await app.close();
    // An embedded server this command started is stopped again; one the service runs was only adopted.
    if (embedded && !embedded.adopted) await embedded.stop();
  }
}

type Context = Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;

async function run(command: string, args: string[], app: Context): Promise<number> {
  const runner = app.get(ProjectionRunner);
  switch (command) {
    case 'projections': {
      const states = await runner.states();
      console.table(
        states.map((s) => ({ name: s.name, position: s.position, lag: s.lag, status: s.status })),
      );
      return 0;
    }
    case 'rebuild': {
      const target = args[0];
      if (!target) throw new UsageError('rebuild needs a projection name or "all"');
      const names =
        target === 'all'
          ? (await runner.states()).filter((s) => s.name !== 'audit-chain').map((s) => s.name)
          : [target];
      for (const name of names) {
        if (!(await runner.requestRebuild(name))) throw new UsageError(`No projection named "${name}"`);
      }
      const store = app.get<EventStore>(EVENT_STORE);
      const total = Number((await store.committedHead()).sequence);
      const bar = new ProgressBar(`rebuild ${target}`);
      for (;;) {
        const states = (await runner.states()).filter((s) => names.includes(s.name));
        const failed = states.find((s) => s.lastError && s.status === 'failed');
        if (failed) throw new Error(`Rebuild of ${failed.name} failed: ${failed.lastError}`);
        const done = states.reduce(
          (min, s) => Math.min(min, Number((s.rebuildPosition ?? s.position).split('-')[1])),
          total,
        );
        if (states.every((s) => s.status !== 'rebuilding')) {
          bar.finish(total, total);
          break;
        }
        bar.update(done, total);
        await new Promise((r) => setTimeout(r, 200));
      }
      console.log(`Rebuilt ${names.join(', ')}`);
      return 0;
    }
    case 'verify': {
      // Progress on standard error, one bar per step; the result on standard output.
      const bars = new Map<string, ProgressBar>();
      const result = await app.get(AuditVerifier).verify(({ step, done, total }) => {
        let bar = bars.get(step);
        if (!bar) {
          bar = new ProgressBar(`verify: ${step}`);
          bars.set(step, bar);
        }
        if (done >= total) bar.finish(done, total);
        else bar.update(done, total);
      });
      console.log(JSON.stringify(result, null, 2));
      return result.consistent ? 0 : 1;
    }
    case 'ledger-csv': {
      const from = dayOption(args, 'from');
      const to = dayOption(args, 'to');
      if (!from || !to) throw new UsageError('ledger-csv needs --from and --to');
      if (from > to) throw new UsageError('--from must not be after --to');
      const programId = option(args, 'program');
      const request = Object.assign(new LedgerReportRequest(), {
        from,
        to,
        ...(programId ? { programId } : {}),
      });
      const report = await app.get(QueryBus).execute(new LedgerReportQuery(request));
      process.stdout.write(ledgerCsv(report.rows));
      return 0;
    }
    case 'partner-ledger': {
      const partnerId = args[0];
      if (!partnerId || partnerId.startsWith('--')) throw new UsageError('partner-ledger needs a partner id');
      const settings = await app.get(WriteModelQueries).settings();
      const asOf = new Date(instantOption(args, 'as-of') ?? Date.now()).toISOString();
      const [from, to] = [dayOption(args, 'from'), dayOption(args, 'to')];
      if (from && to && from > to) throw new UsageError('--from must not be after --to');
      const ledger = await app.get(AuditLedgerService).ledger(partnerId, asOf, settings.timezone, from, to);
      console.log(
        `Partner ${partnerId}, ${ledger.from} .. ${ledger.to} (as of ${asOf}), ${settings.currency} minor units`,
      );
      console.log(`Beginning balance: ${ledger.beginningBalance}`);
      console.table(
        ledger.entries.map((e) => ({
          occurredAt: e.occurredAt,
          type: e.type,
          amount: e.amountMinor,
          balance: e.balanceMinor,
          entry: e.entryId,
        })),
      );
      console.log(`Ending balance: ${ledger.endingBalance}`);
      return 0;
    }
    case 'notifications': {
      const status = option(args, 'status');
      if (status && !(NOTIFICATION_STATUSES as readonly string[]).includes(status))
        throw new UsageError(`--status must be one of ${NOTIFICATION_STATUSES.join(', ')}`);
      const limit = Number(option(args, 'limit') ?? 1000);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
      const rows = await listNotifications(app.get(Database), {
        status,
        partnerId: option(args, 'partner'),
        limit,
      });
      console.table(
        rows.map((n) => ({
          id: n.id,
          partner: n.partnerId,
          kind: n.kind,
          status: n.status,
          attempts: n.attempts,
          to: n.recipient,
          subject: n.subject,
          source: n.sourceEventId,
          sentAt: n.sentAt ?? '',
        })),
      );
      console.log(`${rows.length} notification(s)`);
      return 0;
    }
    case 'simulate':
      return simulate(args, app, (message) => new UsageError(message));
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
