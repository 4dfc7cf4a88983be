/**
 * `simulate --from DAY --to DAY [--program-file draft.json ...] [--settings-file s.json]
 * [--partner ID ...] [--csv FILE|-]`: POST /v1/simulations from the command line, with a progress bar
 * on standard error and the rows as CSV. Writes nothing to the database.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import {
  RunSimulationHandler,
  RunSimulationQuery,
  type SimulationResult,
  simulationCsv,
  simulationRequestFrom,
} from '@app/core';
import { ProblemError } from '@app/platform';
import { ProgressBar } from '../progress-bar';

export const SIMULATE_USAGE = `  simulate --from YYYY-MM-DD --to YYYY-MM-DD [--program-file draft.json ...] [--settings-file s.json]
           [--partner ID ...] [--csv FILE|-]
                                      what-if: replay the range's sales under draft programs/settings
                                      (writes nothing); --csv writes the rows (- for standard output)
`;

/** Rows printed as a table at most; the CSV has them all. */
const TABLE_ROWS = 40;

interface SimulateArgs {
  from?: string;
  to?: string;
  programFiles: string[];
  settingsFile?: string;
  partnerIds: string[];
  csv?: string;
}

function parseArgs(args: readonly string[], usage: (message: string) => Error): SimulateArgs {
  const parsed: SimulateArgs = { programFiles: [], partnerIds: [] };
  for (let i = 0, flag = args[0]; flag !== undefined; flag = args[++i]) {
    const value = () => {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next !== '-')) throw usage(`${flag} needs a value`);
      i++;
      return next;
    };
    switch (flag) {
      case '--from':
        parsed.from = value();
        break;
      case '--to':
        parsed.to = value();
        break;
      case '--program-file':
        parsed.programFiles.push(value());
        break;
      case '--settings-file':
        parsed.settingsFile = value();
        break;
      case '--partner':
        // One or more ids: --partner amy ben, or --partner amy --partner ben.
        parsed.partnerIds.push(value());
        for (let id = args[i + 1]; id !== undefined && !id.startsWith('--'); i++, id = args[i + 1])
          parsed.partnerIds.push(id);
        break;
      case '--csv':
        parsed.csv = value();
        break;
      default:
        throw usage(`simulate does not know ${flag}`);
    }
  }
  if (!parsed.from || !parsed.to) throw usage('simulate needs --from and --to');
  return parsed;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A program file holds one program body as POST /v1/programs takes it (with its `id`), an array of
 * them, or an object of bodies keyed by program id (the `programs` field of the API).
 */
function draftPrograms(files: readonly string[]): Record<string, unknown> | undefined {
  if (files.length === 0) return undefined;
  const programs: Record<string, unknown> = {};
  for (const file of files) {
    const content = readJson(file);
    const bodies = Array.isArray(content)
      ? content
      : isObject(content) && typeof content['name'] === 'string'
        ? [content]
        : null;
    if (bodies === null) {
      if (!isObject(content))
        throw new Error(`${file} must hold a program, an array of programs or an object of them`);
      Object.assign(programs, content);
      continue;
    }
    for (const body of bodies) {
      const id = isObject(body) ? body['id'] : undefined;
      if (typeof id !== 'string') throw new Error(`${file}: every program needs its "id"`);
      programs[id] = body;
    }
  }
  return programs;
}

/** A 400 problem as one line: the detail and each field at fault. */
function oneLine(error: unknown): unknown {
  if (!(error instanceof ProblemError)) return error;
  const fields = (error.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ');
  return new Error(fields ? `${error.message}: ${fields}` : error.message, { cause: error });
}

function printSummary(result: SimulationResult, out: (line: string) => void): void {
  out(
    `Simulation ${result.from} .. ${result.to} (log position ${result.position}), ${result.currency} minor units; nothing was written`,
  );
  out(
    `Replayed ${result.replayed.collections} collections and ${result.replayed.refunds} refunds ` +
      `(${result.replayed.attempts} attempt streams, ${result.replayed.events} events)` +
      (result.skipped.otherCurrency + result.skipped.inconsistentStream > 0
        ? `; skipped ${result.skipped.otherCurrency} in another currency, ${result.skipped.inconsistentStream} inconsistent`
        : ''),
  );
  const line = (name: string, a: SimulationResult['actual']) =>
    `${name.padEnd(10)} ${String(a.commissions).padStart(12)} ${String(a.clawbacks).padStart(12)} ${String(a.net).padStart(12)}`;
  out(`${''.padEnd(10)} ${'commissions'.padStart(12)} ${'clawbacks'.padStart(12)} ${'net'.padStart(12)}`);
  out(line('actual', result.actual));
  out(line('simulated', result.simulated));
  out(line('difference', result.difference));
}

export async function simulate(
  args: readonly string[],
  app: Pick<INestApplicationContext, 'get'>,
  usage: (message: string) => Error,
): Promise<number> {
  const parsed = parseArgs(args, usage);
  const plain: Record<string, unknown> = { from: parsed.from, to: parsed.to };
  const programs = draftPrograms(parsed.programFiles);
  if (programs) plain['programs'] = programs;
  if (parsed.settingsFile) plain['settings'] = readJson(parsed.settingsFile);
  if (parsed.partnerIds.length > 0) plain['partnerIds'] = parsed.partnerIds;

  const bar = new ProgressBar(`simulate ${parsed.from}..${parsed.to}`);
  let last = { done: 0, total: 0 };
  let result: SimulationResult;
  try {
    const request = simulationRequestFrom(plain);
    result = await app.get(RunSimulationHandler).execute(
      new RunSimulationQuery(request, {
        onProgress: (done, total) => {
          last = { done, total };
          // Drawn once pages are replayed: a short range shows only the final line.
          if (done > 0) bar.update(done, total);
        },
      }),
    );
  } catch (error) {
    throw oneLine(error);
  }
  bar.finish(last.done, last.total);

  // With the CSV on standard output, the summary goes to standard error.
  const toStdout = parsed.csv === '-';
  const out = (text: string) => (toStdout ? process.stderr.write(`${text}\n`) : console.log(text));
  printSummary(result, out);
  if (parsed.csv === undefined) {
    if (result.rows.length > 0) {
      const shown = result.rows.slice(0, TABLE_ROWS).map((r) => ({
        partnerId: r.partnerId,
        productId: r.productId,
        actual: r.actual.net,
        simulated: r.simulated.net,
        difference: r.difference.net,
      }));
      console.table(shown);
      if (result.rows.length > TABLE_ROWS)
        console.log(`... ${result.rows.length - TABLE_ROWS} more rows: write them all with --csv FILE`);
    }
  } else if (toStdout) {
    process.stdout.write(simulationCsv(result.rows));
  } else {
    writeFileSync(parsed.csv, simulationCsv(result.rows));
    out(`Wrote ${result.rows.length} rows to ${parsed.csv}`);
  }
  return 0;
}
