/**
 * The operator's and auditor's command line: `npm run cli -- <command>`. Uses DATABASE_URL, or the
 * embedded PostgreSQL of `npm start` (started here if the service is not running).
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
  WriteModelQueries,
  ledgerCsv,
} from '@app/core';
import { type EmbeddedDatabase, loadConfig, runMigrations, startEmbeddedDatabase } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ProgressBar } from './progress-bar';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  projections                         list projections with position, lag and status
  rebuild <name|all>                  rebuild read models from the log, with progress
  verify                              replay the log and compare it with the hash chain and every read model
  ledger-csv --from YYYY-MM-DD --to YYYY-MM-DD [--program ID]
                                      the ledger report as CSV on standard output
  partner-ledger <partnerId> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--as-of INSTANT]
                                      a partner's ledger recomputed from the log
`;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (!value || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const known = ['projections', 'rebuild', 'verify', 'ledger-csv', 'partner-ledger'];
  if (!known.includes(command)) throw new UsageError(`Unknown command "${command}"`);

  const config = loadConfig();
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase({
      dataDir: config.embeddedDatabaseDir,
      port: config.embeddedDatabasePort,
      database: 'referral_ledger',
      persistent: true,
    });
    databaseUrl = embedded.url;
  }
  await runMigrations(databaseUrl);
  // Projections run here only for a rebuild: if the service runs them, this process stands by and watches.
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, databaseUrl, runProjections: command === 'rebuild' }),
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
      const from = option(args, 'from');
      const to = option(args, 'to');
      if (!from || !to) throw new UsageError('ledger-csv needs --from and --to');
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
      const asOf = new Date(option(args, 'as-of') ?? Date.now()).toISOString();
      const ledger = await app
        .get(AuditLedgerService)
        .ledger(partnerId, asOf, settings.timezone, option(args, 'from'), option(args, 'to'));
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
