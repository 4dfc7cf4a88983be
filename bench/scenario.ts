/**
 * The measurements taken through the service's public HTTP API: configuration, batched and single
 * ingest (with projection lag sampled meanwhile), report latencies, the as-of audit ledger and a full
 * rebuild of the report projections.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Answer, type Api, ApiError, type IngestAnswer, type ProjectionStateView } from './http';
import type { ServiceProcess } from './service';
import { type LatencySummary, perSecond, pool, round, since, summarize } from './stats';
import { PROGRAM_BODY, PROGRAM_ID, type Workload, linkId, partnerSpecs } from './workload';

export type Log = (line: string) => void;

/** Peak resident set seen so far, per phase, from /proc samples of the service process. */
export class MemoryWatch {
  readonly phasePeaks: Record<string, number> = {};
  private timer: NodeJS.Timeout | null = null;
  private phase = 'start';

  constructor(private readonly service: ServiceProcess) {}

  start(intervalMs = 500): void {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  enter(phase: string): void {
    this.sample();
    this.phase = phase;
    this.sample();
  }

  sample(): void {
    const memory = this.service.memory();
    if (!memory) return;
    this.phasePeaks[this.phase] = Math.max(this.phasePeaks[this.phase] ?? 0, memory.rssBytes);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

export async function configure(api: Api, workload: Workload, log: Log): Promise<{ ms: number }> {
  const started = performance.now();
  await api.post('/v1/programs', PROGRAM_BODY);
  for (let i = 0; i < workload.shape.links; i++) {
    await api.post('/v1/links', {
      id: linkId(i),
      code: `L${String(i + 1).padStart(2, '0')}`,
      name: `Offer ${i + 1}`,
      destinationUrl: `https://shop.example.com/offer-${i + 1}`,
    });
  }
  const specs = partnerSpecs(workload.shape);
  const enroll = async (spec: (typeof specs)[number]) => {
    await api.post('/v1/partners', {
      id: spec.id,
      code: spec.code,
      name: `Partner ${spec.code}`,
      email: `${spec.code.toLowerCase()}@partners.example.com`,
      ...(spec.parentId ? { parentId: spec.parentId } : {}),
      programIds: [PROGRAM_ID],
      leadCookieDays: 90,
    });
  };
  // Parents first: a child names its parent.
  await pool(
    specs.filter((s) => s.parentId === null),
    4,
    enroll,
  );
  await pool(
    specs.filter((s) => s.parentId !== null),
    4,
    enroll,
  );
  const ms = since(started);
  log(`configured 1 program, ${workload.shape.links} links, ${specs.length} partners in ${round(ms)} ms`);
  return { ms };
}

export interface LagSummary {
  readonly samples: number;
  /** The largest lag of any projection, per sample. */
  readonly p50MaxLag: number;
  readonly p99MaxLag: number;
  readonly maxLag: number;
  readonly lastMaxLag: number;
  /** Per projection: the largest lag sampled. */
  readonly maxLagByProjection: Record<string, number>;
}

/** Samples GET /v1/admin/projections until stopped. */
class LagSampler {
  private readonly maxima: number[] = [];
  private readonly byProjection: Record<string, number> = {};
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: Api,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const { body } = await this.api.projections();
          let max = 0;
          for (const p of body) {
            max = Math.max(max, p.lag);
            this.byProjection[p.name] = Math.max(this.byProjection[p.name] ?? 0, p.lag);
          }
          this.maxima.push(max);
        } catch {
          // A sample lost under load is just a missing sample.
        }
        await sleep(this.intervalMs);
      }
    })();
  }

  async stop(): Promise<LagSummary> {
    this.running = false;
    await this.loop;
    const sorted = [...this.maxima].sort((x, y) => x - y);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
    return {
      samples: this.maxima.length,
      p50MaxLag: at(50),
      p99MaxLag: at(99),
      maxLag: sorted[sorted.length - 1] ?? 0,
      lastMaxLag: this.maxima[this.maxima.length - 1] ?? 0,
      maxLagByProjection: { ...this.byProjection },
    };
  }
}

export interface BatchedIngestResult {
  readonly envelopes: number;
  readonly batches: number;
  readonly ms: number;
  readonly envelopesPerSecond: number;
  readonly accepted: number;
  readonly duplicate: number;
  readonly rejected: number;
  readonly rejections: string[];
  readonly batchLatency: LatencySummary;
  readonly lag: LagSummary;
}

interface Tally {
  accepted: number;
  duplicate: number;
  rejected: number;
  rejections: string[];
}

function tally(into: Tally, answer: Answer<IngestAnswer>): void {
  for (const result of answer.body.results) {
    if (result.status === 'accepted') into.accepted++;
    else if (result.status === 'duplicate') into.duplicate++;
    else {
      into.rejected++;
      if (into.rejections.length < 10)
        into.rejections.push(`${result.eventId}: ${result.error?.detail ?? 'rejected'}`);
    }
  }
}

export async function batchedIngest(
  api: Api,
  workload: Workload,
  batchSize: number,
  log: Log,
): Promise<BatchedIngestResult> {
  const sampler = new LagSampler(api, 1000);
  sampler.start();
  const counts: Tally = { accepted: 0, duplicate: 0, rejected: 0, rejections: [] };
  const latencies: number[] = [];
  const total = workload.shape.envelopes;
  const started = performance.now();
  let sent = 0;
  let nextReport = 0.1;
  try {
    for (const batch of workload.batches(batchSize)) {
      const answer = await api.ingest(batch, 600_000);
      latencies.push(answer.ms);
      tally(counts, answer);
      sent += batch.length;
      if (sent / total >= nextReport) {
        const rate = perSecond(sent, since(started));
        log(
          `  ingested ${sent}/${total} envelopes, ${rate}/s, about ${round((total - sent) / Math.max(1, rate))} s to go`,
        );
        nextReport += 0.1;
      }
    }
  } catch (error) {
    // Stopped on failure too, so that no sampling loop outlives the run.
    await sampler.stop();
    throw error;
  }
  const ms = since(started);
  const lag = await sampler.stop();
  return {
    envelopes: sent,
    batches: latencies.length,
    ms: round(ms),
    envelopesPerSecond: perSecond(sent, ms),
    ...counts,
    batchLatency: summarize(latencies),
    lag,
  };
}

export interface SingleIngestResult {
  readonly requests: number;
  readonly concurrency: number;
  readonly ms: number;
  readonly requestsPerSecond: number;
  readonly latency: LatencySummary;
  readonly accepted: number;
  readonly rejected: number;
}

export async function singleIngest(
  api: Api,
  workload: Workload,
  concurrency: number,
): Promise<SingleIngestResult> {
  const envelopes = workload.singles();
  const latencies: number[] = [];
  const counts: Tally = { accepted: 0, duplicate: 0, rejected: 0, rejections: [] };
  const started = performance.now();
  await pool(envelopes, concurrency, async (envelope) => {
    const answer = await api.ingest([envelope]);
    latencies.push(answer.ms);
    tally(counts, answer);
  });
  const ms = since(started);
  return {
    requests: envelopes.length,
    concurrency,
    ms: round(ms),
    requestsPerSecond: perSecond(envelopes.length, ms),
    latency: summarize(latencies),
    accepted: counts.accepted,
    rejected: counts.rejected,
  };
}

/** Polls the projection list until `done` holds; answers the elapsed ms (Infinity on timeout). */
export async function waitForProjections(
  api: Api,
  done: (states: readonly ProjectionStateView[]) => boolean,
  timeoutMs: number,
  onSample?: (states: readonly ProjectionStateView[], ms: number) => void,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { body } = await api.projections();
    const ms = since(started);
    onSample?.(body, ms);
    if (done(body)) return round(ms);
    if (ms > timeoutMs) return Number.POSITIVE_INFINITY;
    await sleep(200);
  }
}

export const caughtUp = (states: readonly ProjectionStateView[]) =>
  states.every((s) => s.lag === 0 && s.status === 'running' && s.rebuildPosition === null);

export interface RangeSpec {
  readonly label: '1 day' | '1 month' | '1 year';
  readonly from: string;
  readonly to: string;
}

export function reportRanges(year: number): RangeSpec[] {
  return [
    { label: '1 day', from: `${year}-06-16`, to: `${year}-06-16` },
    { label: '1 month', from: `${year}-06-01`, to: `${year}-06-30` },
    { label: '1 year', from: `${year}-01-01`, to: `${year}-12-31` },
  ];
}

export const REPORTS = ['link-stats', 'products-sold', 'ledger', 'reconciliation'] as const;

export interface ReportLatency {
  readonly report: string;
  readonly range: string;
  readonly rows: number;
  readonly latency: LatencySummary;
}

export async function reportLatencies(
  api: Api,
  year: number,
  requests: number,
  busiestPartnerId: string,
  log: Log,
): Promise<ReportLatency[]> {
  const results: ReportLatency[] = [];
  const paths: { report: string; path: (range: RangeSpec) => string }[] = [
    ...REPORTS.map((report) => ({
      report,
      path: (r: RangeSpec) => `/v1/reports/${report}?from=${r.from}&to=${r.to}`,
    })),
    {
      report: 'partner-ledger (busiest partner)',
      path: (r: RangeSpec) => `/v1/partners/${busiestPartnerId}/ledger?from=${r.from}&to=${r.to}`,
    },
  ];
  for (const { report, path } of paths) {
    for (const range of reportRanges(year)) {
      const latencies: number[] = [];
      let rows = 0;
      // One warm-up request (plan cache, connection), not counted.
      await api.get(path(range));
      for (let i = 0; i < requests; i++) {
        const answer = await api.get<{ rows?: unknown[]; entries?: unknown[] }>(path(range));
        latencies.push(answer.ms);
        rows = answer.body.rows?.length ?? answer.body.entries?.length ?? 0;
      }
      const latency = summarize(latencies);
      results.push({ report, range: range.label, rows, latency });
      log(`  ${report} over ${range.label}: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms (${rows} rows)`);
    }
  }
  return results;
}

/** The partner with the largest commissions over the year, from the ledger report. */
export async function busiestPartner(api: Api, year: number, fallback: string): Promise<string> {
  const { body } = await api.get<{ rows: { partnerId: string; commissions: number }[] }>(
    `/v1/reports/ledger?from=${year}-01-01&to=${year}-12-31`,
  );
  let best: { partnerId: string; commissions: number } | null = null;
  for (const row of body.rows) if (!best || row.commissions > best.commissions) best = row;
  return best?.partnerId ?? fallback;
}

export interface AsOfResult {
  readonly partnerId: string;
  readonly requests: number;
  readonly checkedEvents: number;
  readonly entries: number;
  readonly latency: LatencySummary;
}

export async function asOfReplay(api: Api, partnerId: string, requests: number): Promise<AsOfResult> {
  const asOf = new Date().toISOString();
  const latencies: number[] = [];
  let checkedEvents = 0;
  let entries = 0;
  for (let i = 0; i < requests; i++) {
    const answer = await api.get<{ checkedEvents: number; entries: unknown[] }>(
      `/v1/audit/partners/${partnerId}/ledger?asOf=${encodeURIComponent(asOf)}`,
    );
    latencies.push(answer.ms);
    checkedEvents = answer.body.checkedEvents;
    entries = answer.body.entries.length;
  }
  return { partnerId, requests, checkedEvents, entries, latency: summarize(latencies) };
}

export interface RebuildResult {
  readonly projections: string[];
  readonly skipped: string[];
  /** Until every rebuilt projection is back to running with no lag. */
  readonly ms: number;
  readonly msByProjection: Record<string, number>;
}

export async function rebuildAll(api: Api, log: Log): Promise<RebuildResult> {
  const { body: states } = await api.projections();
  const projections: string[] = [];
  const skipped: string[] = [];
  const started = performance.now();
  for (const state of states) {
    try {
      await api.post(`/v1/admin/projections/${encodeURIComponent(state.name)}/rebuild`, {});
      projections.push(state.name);
    } catch (error) {
      // The audit hash chain refuses on purpose (recomputing it would bless tampering).
      if (error instanceof ApiError) skipped.push(`${state.name} (${error.status})`);
      else throw error;
    }
  }
  const msByProjection: Record<string, number> = {};
  const ms = await waitForProjections(
    api,
    (all) => projections.every((name) => msByProjection[name] !== undefined) && caughtUp(all),
    3_600_000,
    (all) => {
      for (const state of all) {
        if (!projections.includes(state.name) || msByProjection[state.name] !== undefined) continue;
        if (state.status === 'running' && state.rebuildPosition === null && state.lag === 0)
          msByProjection[state.name] = round(since(started));
      }
    },
  );
  log(`  rebuilt ${projections.join(', ')} in ${round(ms)} ms (skipped: ${skipped.join(', ') || 'none'})`);
  return { projections, skipped, ms: round(since(started)), msByProjection };
}
