/**
 * What-if simulations through POST /v1/simulations over the workload: a month, then the whole year,
 * under a draft that raises level 1 and adds a third level. Records the time, the events replayed per
 * second and the service's resident memory while each one runs (streaming: it should not grow with
 * the range).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Api } from './http';
import type { Log } from './scenario';
import type { ServiceProcess } from './service';
import { perSecond, round, since } from './stats';
import { PROGRAM_BODY, PROGRAM_ID } from './workload';

export interface SimulationRun {
  readonly range: 'month' | 'year';
  readonly from: string;
  readonly to: string;
  readonly ms: number;
  readonly collections: number;
  readonly refunds: number;
  readonly attempts: number;
  /** Log events read and fed through the domain (attempt and partner events). */
  readonly replayedEvents: number;
  readonly eventsPerSecond: number;
  readonly rows: number;
  readonly actualNet: number;
  readonly simulatedNet: number;
  /** Resident set of the service just before the request, and the largest sampled while it ran. */
  readonly rssBeforeBytes: number;
  readonly peakRssBytes: number;
  /** CPU time the service process spent meanwhile (user + system): the wall time less the waiting. */
  readonly serviceCpuMs: number;
  /** The machine's 1-minute load average when it ended: other work competing for the 2 cores. */
  readonly loadAverage: number;
}

/** utime + stime of a process from /proc/<pid>/stat, in ms (NaN where /proc is not there). */
function cpuMs(pid: number | null): number {
  if (pid === null) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After "pid (comm) ": state is field 3, utime 14 and stime 15, in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export interface SimulationBench {
  readonly draft: string;
  readonly runs: SimulationRun[];
}

/** The bench program with level 1 raised from 20% to 25% and a third level of 2%. */
export const DRAFT_PROGRAM = {
  ...PROGRAM_BODY,
  default: { sale: [{ percent: '25' }, { percent: '5' }, { percent: '2' }] },
  products: { 'prod-trial': { sale: [{ flat: 60 }, { flat: 10 }, { flat: 5 }] } },
};

interface SimulationAnswer {
  readonly replayed: { collections: number; refunds: number; attempts: number; events: number };
  readonly rows: unknown[];
  readonly actual: { net: number };
  readonly simulated: { net: number };
  readonly writesNothing: boolean;
}

export async function simulations(
  api: Api,
  service: ServiceProcess,
  year: number,
  log: Log,
): Promise<SimulationBench> {
  const runs: SimulationRun[] = [];
  const ranges = [
    { range: 'month' as const, from: `${year}-06-01`, to: `${year}-06-30` },
    { range: 'year' as const, from: `${year}-01-01`, to: `${year}-12-31` },
  ];
  for (const { range, from, to } of ranges) {
    const rssBeforeBytes = service.memory()?.rssBytes ?? Number.NaN;
    let peakRssBytes = rssBeforeBytes;
    let running = true;
    const sampler = (async () => {
      while (running) {
        peakRssBytes = Math.max(peakRssBytes, service.memory()?.rssBytes ?? 0);
        await sleep(50);
      }
    })();
    const cpuBefore = cpuMs(service.pid);
    const started = performance.now();
    const { body } = await api
      .post<SimulationAnswer>(
        '/v1/simulations',
        { from, to, programs: { [PROGRAM_ID]: DRAFT_PROGRAM }, settings: { levels: 3 } },
        600_000,
      )
      .finally(() => {
        running = false;
      });
    const ms = since(started);
    const serviceCpuMs = cpuMs(service.pid) - cpuBefore;
    await sampler;
    if (!body.writesNothing) throw new Error('the simulation did not say it wrote nothing');
    const run: SimulationRun = {
      range,
      from,
      to,
      ms: round(ms),
      collections: body.replayed.collections,
      refunds: body.replayed.refunds,
      attempts: body.replayed.attempts,
      replayedEvents: body.replayed.events,
      eventsPerSecond: perSecond(body.replayed.events, ms),
      rows: body.rows.length,
      actualNet: body.actual.net,
      simulatedNet: body.simulated.net,
      rssBeforeBytes,
      peakRssBytes,
      serviceCpuMs,
      loadAverage: round(loadavg()[0] ?? Number.NaN, 1),
    };
    log(
      `  simulation over the ${range}: ${round(ms / 1000, 2)} s, ${run.collections} collections and ${run.refunds} refunds, ` +
        `${run.replayedEvents} events at ${run.eventsPerSecond}/s (service CPU ${serviceCpuMs} ms, load ${run.loadAverage}); ` +
        `net ${run.actualNet} -> ${run.simulatedNet}`,
    );
    runs.push(run);
  }
  return {
    draft: `${PROGRAM_ID} at 25% / 5% / 2% (for 20% / 5%), levels 3`,
    runs,
  };
}
