/** The figures of one run, the targets they are held against, and their JSON and markdown forms. */
import type { CatchUpResult, KeysetReadResult } from './catch-up';
import type {
  AsOfResult,
  BatchedIngestResult,
  LagSummary,
  RebuildResult,
  ReportLatency,
  SingleIngestResult,
} from './scenario';
import type { SimulationBench } from './simulation';
import { formatBytes, formatNumber, round } from './stats';
import type { HotPaths } from './hot-paths';
import type { IngestPaths } from './ingest-paths';
import type { StoreComparison } from './stores';
import type { WorkloadCounts, WorkloadShape } from './workload';

export interface BenchResult {
  readonly date: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly mode: 'full' | 'quick' | 'custom';
  readonly profiled: boolean;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGb: number;
    readonly node: string;
    readonly postgres: string;
    readonly database: string;
  };
  readonly workload: {
    readonly shape: WorkloadShape;
    readonly sent: WorkloadCounts;
    /** Domain events in the log after the run (envelopes plus what the service derives from them). */
    readonly logEvents: number;
    readonly logEventsByType: Record<string, number>;
  };
  readonly setupMs: number;
  readonly ingest: {
    readonly batched: BatchedIngestResult & { readonly logEventsPerSecond: number };
    readonly single: SingleIngestResult;
  };
  /** Redirect and single-event ingest against the INSERT-per-transaction ceiling (absent in older results). */
  readonly hotPaths?: HotPaths;
  readonly projections: {
    /** After the last batch, until every projection had no lag. */
    readonly drainAfterIngestMs: number;
    readonly liveLag: LagSummary;
    /** From zero: the rebuild of the report projections, log events / time of the slowest. */
    readonly catchUpEventsPerSecond: number;
    readonly catchUpByProjection: Record<string, number>;
  };
  readonly readSide: {
    /** The ceiling of any catch-up: the whole log read in keyset pages, in the same run. */
    readonly rawKeysetRead: KeysetReadResult;
    /** A fresh service catching up from zero on a copy of the log. */
    readonly inOrder: CatchUpResult;
    /** The same with 10% of collections and refunds (and what they caused) dated up to 60 days back. */
    readonly backDated: CatchUpResult;
    /** The longest projection or verify transaction seen (pg_stat_activity every 100 ms), per phase. */
    readonly longestProjectionTransactionMs: Record<string, number>;
    readonly verify: {
      readonly ms: number;
      readonly consistent: boolean;
      readonly checkedEvents: number;
      readonly differences: number;
    };
  };
  readonly reports: ReportLatency[];
  readonly asOf: AsOfResult;
  readonly rebuild: RebuildResult;
  readonly memory: { readonly peakRssBytes: number; readonly phasePeakRssBytes: Record<string, number> };
  readonly stores: StoreComparison | null;
  /** The same slice size through each ingest path (absent in results written before it existed). */
  readonly ingestPaths?: IngestPaths;
  /** POST /v1/simulations over a month and over the whole year (null: not run). */
  readonly simulation: SimulationBench | null;
  readonly targets: TargetResult[];
  readonly profile: { readonly cpuProfile: string | null; readonly slowQueryLog: string | null } | null;
}

export interface TargetResult {
  readonly name: string;
  readonly goal: string;
  readonly measured: string;
  /** null: not measured in this run. */
  readonly met: boolean | null;
  readonly note?: string;
}

const FULL_ENVELOPES = 1_000_000;

export function evaluateTargets(result: Omit<BenchResult, 'targets'>): TargetResult[] {
  const targets: TargetResult[] = [];
  const scale = result.workload.shape.envelopes / FULL_ENVELOPES;
  const atScale = scale < 1 ? ` (at ${formatNumber(result.workload.shape.envelopes)} envelopes)` : '';
  const writers = result.stores?.writers ?? [];
  const raw = writers.find((w) => w.writer.startsWith('raw'));
  const emmett = writers.find((w) => w.writer.startsWith('Emmett'));
  const ours = writers.find((w) => w.writer.startsWith('our'));
  const batched = result.ingest.batched;

  if (raw) {
    const ratio = batched.logEventsPerSecond / raw.eventsPerSecond;
    targets.push({
      name: 'Batched ingest through HTTP vs the raw unnest INSERT ceiling',
      goal: '>= 50%',
      measured: `${round(100 * ratio, 1)}% (${formatNumber(batched.logEventsPerSecond)} log events/s, ${formatNumber(batched.envelopesPerSecond)} envelopes/s, vs ${formatNumber(raw.eventsPerSecond)} events/s)`,
      met: ratio >= 0.5,
    });
  } else {
    targets.push({
      name: 'Batched ingest through HTTP vs the raw ceiling',
      goal: '>= 50%',
      measured: 'not run',
      met: null,
    });
  }
  const candidate = writers.find((w) => w.writer.startsWith('candidate'));
  if (ours && emmett) {
    const ratio = ours.eventsPerSecond / emmett.eventsPerSecond;
    targets.push({
      name: "Our event store's append throughput vs Emmett's",
      goal: '>= 2x',
      measured: `${round(ratio, 2)}x (${formatNumber(ours.eventsPerSecond)} vs ${formatNumber(emmett.eventsPerSecond)} events/s)`,
      met: ratio >= 2,
      ...(candidate
        ? {
            note: `the bench-only set-based prototype of the fix: ${round(candidate.eventsPerSecond / emmett.eventsPerSecond, 2)}x (${formatNumber(candidate.eventsPerSecond)} events/s)`,
          }
        : {}),
    });
  } else {
    targets.push({ name: "Our event store vs Emmett's", goal: '>= 2x', measured: 'not run', met: null });
  }
  targets.push(...hotPathTargets(result.hotPaths));
  const read = result.readSide;
  const rawRead = read.rawKeysetRead.eventsPerSecond;
  const slowestInOrder = Object.entries(read.inOrder.eventsPerSecondByProjection).sort(
    (x, y) => x[1] - y[1],
  )[0];
  if (slowestInOrder) {
    const ratio = slowestInOrder[1] / rawRead;
    targets.push({
      name: 'Catch-up from zero of every projection vs a raw keyset read of the same log',
      goal: '>= 50%',
      measured: `${round(100 * ratio, 1)}% (slowest ${slowestInOrder[0]} ${formatNumber(slowestInOrder[1])} events/s vs ${formatNumber(rawRead)} events/s read)${atScale}`,
      met: ratio >= 0.5,
      note: Object.entries(read.inOrder.eventsPerSecondByProjection)
        .map(([name, rate]) => `${name} ${round((100 * rate) / rawRead)}%`)
        .join(', '),
    });
  }
  const lateRatios = Object.entries(read.backDated.eventsPerSecondByProjection).map(
    ([name, rate]): [string, number] => [
      name,
      rate / (read.inOrder.eventsPerSecondByProjection[name] ?? rate),
    ],
  );
  const worstLate = lateRatios.sort((x, y) => x[1] - y[1])[0];
  if (worstLate) {
    targets.push({
      name: 'Catch-up with 10% of collections and refunds dated up to 60 days back vs in order',
      goal: '>= 80%',
      measured: `${round(100 * worstLate[1], 1)}% (slowest ratio: ${worstLate[0]})${atScale}`,
      met: worstLate[1] >= 0.8,
      note: lateRatios.map(([name, ratio]) => `${name} ${round(100 * ratio)}%`).join(', '),
    });
  }
  const longest = Object.entries(read.longestProjectionTransactionMs).sort((x, y) => y[1] - x[1])[0];
  if (longest) {
    targets.push({
      name: 'Longest projection transaction (sampled every 100 ms)',
      goal: '<= 1 s',
      measured: `${formatNumber(longest[1])} ms (${longest[0]})${atScale}`,
      met: longest[1] <= 1000,
    });
  }
  const reportRows = result.reports.filter((r) => !r.report.startsWith('partner-ledger'));
  const worst = reportRows.reduce<ReportLatency | null>(
    (w, r) => (w === null || r.latency.p99Ms > w.latency.p99Ms ? r : w),
    null,
  );
  if (worst) {
    const slow = reportRows.filter((r) => r.latency.p99Ms >= 50).map((r) => `${r.report} ${r.range}`);
    targets.push({
      name: 'Report p99 latency (every report, 1 day / 1 month / 1 year)',
      goal: '< 50 ms at 1M events',
      measured: `worst ${worst.latency.p99Ms} ms (${worst.report}, ${worst.range})${atScale}`,
      met: worst.latency.p99Ms < 50,
      ...(slow.length > 0 ? { note: `over 50 ms: ${slow.join('; ')}` } : {}),
    });
  }
  const byReport = new Map<string, Map<string, number>>();
  for (const r of reportRows) {
    const ranges = byReport.get(r.report) ?? new Map<string, number>();
    ranges.set(r.range, r.latency.p99Ms);
    byReport.set(r.report, ranges);
  }
  const yearRatios = [...byReport].map(([report, ranges]): [string, number] => [
    report,
    (ranges.get('1 year') ?? 0) / Math.max(1, ranges.get('1 day') ?? 0),
  ]);
  const worstYear = yearRatios.sort((x, y) => y[1] - x[1])[0];
  if (worstYear) {
    targets.push({
      name: 'Report p99 over 1 year vs 1 day (every report)',
      goal: '<= 3x',
      measured: `worst ${round(worstYear[1], 2)}x (${worstYear[0]})${atScale}`,
      met: worstYear[1] <= 3,
      note: yearRatios.map(([report, ratio]) => `${report} ${round(ratio, 2)}x`).join(', '),
    });
  }
  const verifySeconds = read.verify.ms / 1000;
  const verifyEstimate = scale < 1 ? verifySeconds / scale : verifySeconds;
  targets.push({
    name: 'GET /v1/audit/verify',
    goal: '< 120 s at 1M events',
    measured: `${round(verifySeconds, 1)} s${atScale}${scale < 1 ? `; about ${round(verifyEstimate)} s at 1M (linear estimate)` : ''}, consistent: ${read.verify.consistent}`,
    met: verifyEstimate < 120 && read.verify.consistent,
  });
  const rebuildSeconds = result.rebuild.ms / 1000;
  const estimate = scale < 1 ? rebuildSeconds / scale : rebuildSeconds;
  targets.push({
    name: 'Full rebuild of the report projections',
    goal: '< 60 s for 1M events',
    measured:
      scale < 1
        ? `${round(rebuildSeconds, 1)} s${atScale}; about ${round(estimate)} s at 1M (linear estimate)`
        : `${round(rebuildSeconds, 1)} s for ${formatNumber(result.workload.logEvents)} log events`,
    met: estimate < 60,
  });
  targets.push(simulationTarget(result, scale, atScale));
  targets.push({
    name: 'Peak RSS of the service process (VmHWM)',
    goal: '< 400 MB',
    measured: `${formatBytes(result.memory.peakRssBytes)}${atScale}`,
    met: result.memory.peakRssBytes < 400 * 1024 * 1024,
  });
  return targets;
}

/** Redirect and single-event ingest, each against the server's INSERT-per-transaction ceiling. */
function hotPathTargets(hot: HotPaths | undefined): TargetResult[] {
  if (!hot) {
    return [
      {
        name: 'Redirect clicks vs the INSERT-per-transaction ceiling',
        goal: '>= 50%',
        measured: 'not run',
        met: null,
      },
      { name: 'Single-event ingest vs the same ceiling', goal: '>= 50%', measured: 'not run', met: null },
    ];
  }
  const ceiling = hot.insertCeiling.insertsPerSecond;
  const against = `vs ${formatNumber(ceiling)} single-row INSERT transactions/s at ${hot.clients} clients`;
  const redirect = hot.redirect.perSecond / ceiling;
  const single = hot.singleEvent.perSecond / ceiling;
  return [
    {
      name: `Redirect clicks (GET /r/:partnerRef/:linkCode) at ${hot.clients} connections vs the single-row INSERT-per-transaction ceiling`,
      goal: '>= 50%, p99 < 50 ms',
      measured: `${round(100 * redirect, 1)}% (${formatNumber(hot.redirect.perSecond)} clicks/s, p50 ${hot.redirect.latency.p50Ms} ms, p99 ${hot.redirect.latency.p99Ms} ms, ${against})`,
      met: redirect >= 0.5 && hot.redirect.latency.p99Ms < 50,
    },
    {
      name: `Single-event POST /v1/events at concurrency ${hot.clients} vs the same ceiling`,
      goal: '>= 50%',
      measured: `${round(100 * single, 1)}% (${formatNumber(hot.singleEvent.perSecond)} requests/s, p50 ${hot.singleEvent.latency.p50Ms} ms, p99 ${hot.singleEvent.latency.p99Ms} ms, ${against})`,
      met: single >= 0.5,
    },
  ];
}

function hotPathLines(hot: HotPaths | undefined): string[] {
  if (!hot) return [];
  const row = (name: string, rate: HotPaths['redirect']) =>
    `| ${name} | ${formatNumber(rate.perSecond)}/s | ${rate.latency.p50Ms} / ${rate.latency.p99Ms} ms | ${formatNumber(rate.requests)} | ${Object.entries(
      rate.answers,
    )
      .map(([answer, n]) => `${answer} ${formatNumber(n)}`)
      .join(', ')} |`;
  return [
    `## Hot paths (${hot.clients} connections, ${hot.secondsEach} s each, same server)`,
    '',
    '| path | rate | p50 / p99 | requests | answers |',
    '|---|---:|---:|---:|---|',
    `| single-row INSERT per transaction (\`pg\`, before and after the two below; their mean) | ${formatNumber(hot.insertCeiling.insertsPerSecond)}/s (${hot.insertCeiling.runs.map(formatNumber).join(', ')}) | | | |`,
    row('GET /r/:partnerRef/:linkCode (new visitors, redirects not followed)', hot.redirect),
    row('POST /v1/events with one click each', hot.singleEvent),
    '',
  ];
}

function ingestPathLines(paths: IngestPaths | undefined): string[] {
  if (!paths) return [];
  const base = paths.paths[0]?.envelopesPerSecond ?? 0;
  return [
    `## Ingest paths (${formatNumber(paths.envelopesPerPath)} envelopes of the same mix each, batches of ${paths.batchSize}, same run and database)`,
    '',
    'From the first envelope sent to the last one stored; JetStream: published by the bench, consumed by the service (ROLE=all) in fetches of the same size.',
    '',
    '| path | processes | clients | envelopes/s | vs HTTP 1 client | rejected |',
    '|---|---:|---:|---:|---:|---:|',
    ...paths.paths.map(
      (p) =>
        `| ${p.path} | ${p.processes} | ${p.clients} | ${formatNumber(p.envelopesPerSecond)} | ${base ? `${round((100 * p.envelopesPerSecond) / base)}%` : ''} | ${p.rejected} |`,
    ),
    '',
    ...(paths.jetStreamPublishPerSecond === null
      ? []
      : [`Publishing to JetStream alone: ${formatNumber(paths.jetStreamPublishPerSecond)} envelopes/s.`, '']),
    ...(paths.skipped.length > 0 ? [`Skipped: ${paths.skipped.join('; ')}.`, ''] : []),
  ];
}

/** The year's simulation at 1M envelopes: < 10 s, streaming (estimated linearly below 1M). */
function simulationTarget(
  result: Omit<BenchResult, 'targets'>,
  scale: number,
  atScale: string,
): TargetResult {
  const name = 'What-if simulation over the whole workload (a year, POST /v1/simulations)';
  const goal = '< 10 s at 1M envelopes';
  const year = result.simulation?.runs.find((run) => run.range === 'year');
  if (!year) return { name, goal, measured: 'not run', met: null };
  const seconds = year.ms / 1000;
  const estimate = scale < 1 ? seconds / scale : seconds;
  const month = result.simulation?.runs.find((run) => run.range === 'month');
  return {
    name,
    goal,
    measured:
      `${round(seconds, 2)} s, ${formatNumber(year.replayedEvents)} events replayed at ${formatNumber(year.eventsPerSecond)}/s${atScale}` +
      (scale < 1 ? `; about ${round(estimate, 1)} s at 1M (linear estimate)` : ''),
    met: estimate < 10,
    ...(month
      ? {
          note:
            `service CPU ${formatNumber(year.serviceCpuMs)} ms at load average ${year.loadAverage}; ` +
            `service RSS while it ran: ${formatBytes(year.peakRssBytes)} (a month: ${formatBytes(month.peakRssBytes)}; before: ${formatBytes(year.rssBeforeBytes)})`,
        }
      : {}),
  };
}

const status = (met: boolean | null) => (met === null ? 'not run' : met ? 'met' : '**missed**');

export function toMarkdown(r: BenchResult): string {
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  const shape = r.workload.shape;
  push(
    `# Benchmark ${r.date} (${r.mode}${r.profiled ? ', profiled: figures include profiler overhead' : ''})`,
    '',
    `Machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.postgres}; ${r.machine.database}.`,
    `Run took ${round(r.durationMs / 60_000, 1)} min. Seed ${shape.seed}.`,
    '',
    `Workload: ${formatNumber(r.workload.sent.envelopes)} envelopes over ${shape.year} (${Object.entries(
      r.workload.sent.byType,
    )
      .map(([type, n]) => `${type} ${formatNumber(n)}`)
      .join(
        ', ',
      )}), plus ${formatNumber(shape.singles)} single-event clicks; ${formatNumber(shape.partners)} partners ` +
      `(${shape.topPartners} top-level, the rest their children), ${shape.links} links, ${formatNumber(shape.contacts)} contacts, ` +
      `${formatNumber(shape.anonymousVisitors)} anonymous visitors. The log holds ${formatNumber(r.workload.logEvents)} domain events afterwards.`,
    '',
    '## Targets',
    '',
    '| target | goal | measured | status |',
    '|---|---|---|---|',
    ...r.targets.map(
      (t) => `| ${t.name} | ${t.goal} | ${t.measured}${t.note ? `<br>${t.note}` : ''} | ${status(t.met)} |`,
    ),
    '',
    '## Ingest (POST /v1/events)',
    '',
    '| measure | value |',
    '|---|---|',
    `| batched: ${formatNumber(r.ingest.batched.batches)} requests of up to 1000 envelopes, one at a time | ${formatNumber(r.ingest.batched.envelopesPerSecond)} envelopes/s, ${formatNumber(r.ingest.batched.logEventsPerSecond)} log events/s, ${round(r.ingest.batched.ms / 1000, 1)} s |`,
    `| batched: request latency p50 / p99 | ${r.ingest.batched.batchLatency.p50Ms} / ${r.ingest.batched.batchLatency.p99Ms} ms |`,
    `| batched: accepted / duplicate / rejected | ${formatNumber(r.ingest.batched.accepted)} / ${formatNumber(r.ingest.batched.duplicate)} / ${formatNumber(r.ingest.batched.rejected)} |`,
    `| single-event requests at concurrency ${r.ingest.single.concurrency} (${formatNumber(r.ingest.single.requests)} clicks) | ${formatNumber(r.ingest.single.requestsPerSecond)} requests/s |`,
    `| single-event latency p50 / p99 | ${r.ingest.single.latency.p50Ms} / ${r.ingest.single.latency.p99Ms} ms |`,
    '',
    ...hotPathLines(r.hotPaths),
    ...ingestPathLines(r.ingestPaths),
    '## Projections',
    '',
    '| measure | value |',
    '|---|---|',
    `| live lag during batched ingest (largest of any projection, sampled every 1 s): p50 / p99 / max | ${formatNumber(r.projections.liveLag.p50MaxLag)} / ${formatNumber(r.projections.liveLag.p99MaxLag)} / ${formatNumber(r.projections.liveLag.maxLag)} events (${r.projections.liveLag.samples} samples) |`,
    `| largest lag per projection during ingest | ${Object.entries(r.projections.liveLag.maxLagByProjection)
      .map(([name, lag]) => `${name} ${formatNumber(lag)}`)
      .join(', ')} |`,
    `| drain after the last batch until no lag | ${round(r.projections.drainAfterIngestMs / 1000, 1)} s |`,
    `| catch-up from zero (rebuild, log events / time of the slowest) | ${formatNumber(r.projections.catchUpEventsPerSecond)} events/s |`,
    `| catch-up per projection | ${Object.entries(r.projections.catchUpByProjection)
      .map(([name, rate]) => `${name} ${formatNumber(rate)}/s`)
      .join(', ')} |`,
    `| full rebuild (${r.rebuild.projections.join(', ')}; skipped ${r.rebuild.skipped.join(', ') || 'none'}) | ${round(r.rebuild.ms / 1000, 1)} s |`,
    '',
    '## Read side against the log (same run)',
    '',
    '| measure | value |',
    '|---|---|',
    `| raw keyset read of the whole log (pages of ${formatNumber(r.readSide.rawKeysetRead.pageSize)}, every column) | ${formatNumber(r.readSide.rawKeysetRead.eventsPerSecond)} events/s (${formatNumber(r.readSide.rawKeysetRead.events)} events in ${round(r.readSide.rawKeysetRead.ms / 1000, 1)} s) |`,
    `| catch-up from zero on a copy of the log, in order | ${Object.entries(
      r.readSide.inOrder.eventsPerSecondByProjection,
    )
      .map(([name, rate]) => `${name} ${formatNumber(rate)}/s`)
      .join(', ')} |`,
    `| the same with ${formatNumber(r.readSide.backDated.backDatedEnvelopes)} collections and refunds (${formatNumber(r.readSide.backDated.backDatedEvents)} events with what they caused) dated up to 60 days back | ${Object.entries(
      r.readSide.backDated.eventsPerSecondByProjection,
    )
      .map(([name, rate]) => `${name} ${formatNumber(rate)}/s`)
      .join(', ')} |`,
    `| longest projection transaction per phase (projection:* and verify:* connections, pg_stat_activity every 100 ms) | ${Object.entries(
      r.readSide.longestProjectionTransactionMs,
    )
      .map(([phase, ms]) => `${phase} ${formatNumber(ms)} ms`)
      .join(', ')} |`,
    `| longest projection transaction as the runner reports it (in order / back-dated) | ${r.readSide.inOrder.longestTransactionMsReported ?? 'not reported'} / ${r.readSide.backDated.longestTransactionMsReported ?? 'not reported'} ms |`,
    `| GET /v1/audit/verify | ${round(r.readSide.verify.ms / 1000, 1)} s, ${formatNumber(r.readSide.verify.checkedEvents)} events checked, consistent: ${r.readSide.verify.consistent} (${r.readSide.verify.differences} differences) |`,
    '',
    `## Reports (${r.reports[0]?.latency.count ?? 0} sequential requests each, after one warm-up; client-side latency)`,
    '',
    '| report | range | rows | p50 ms | p99 ms | < 50 ms |',
    '|---|---|---:|---:|---:|---|',
    ...r.reports.map(
      (x) =>
        `| ${x.report} | ${x.range} | ${formatNumber(x.rows)} | ${x.latency.p50Ms} | ${x.latency.p99Ms} | ${x.latency.p99Ms < 50 ? 'yes' : '**no**'} |`,
    ),
    '',
    '## Audit',
    '',
    `As-of ledger replay (GET /v1/audit/partners/${r.asOf.partnerId}/ledger?asOf=now, the partner with the largest commissions): ` +
      `p50 ${r.asOf.latency.p50Ms} ms, p99 ${r.asOf.latency.p99Ms} ms over ${r.asOf.requests} requests; ` +
      `${formatNumber(r.asOf.checkedEvents)} events replayed, ${formatNumber(r.asOf.entries)} entries.`,
    '',
  );
  if (r.stores) {
    const raw = r.stores.writers.find((w) => w.writer.startsWith('raw'));
    const emmett = r.stores.writers.find((w) => w.writer.startsWith('Emmett'));
    const ours = r.stores.writers.find((w) => w.writer.startsWith('our'));
    push(
      `## Append throughput on the same server (${formatNumber(r.stores.events)} events, chunks of ${r.stores.chunkSize})`,
      '',
      `Events: ${r.stores.source}. Each writer appends into its own fresh database.`,
      '',
      '| writer | how | events/s | stored | vs raw | ours ÷ this |',
      '|---|---|---:|---:|---:|---:|',
      ...r.stores.writers.map(
        (w) =>
          `| ${w.writer} | ${w.description} | ${formatNumber(w.eventsPerSecond)} | ${formatNumber(w.stored)} | ${raw ? `${round((100 * w.eventsPerSecond) / raw.eventsPerSecond, 1)}%` : ''} | ${ours ? `${round(ours.eventsPerSecond / w.eventsPerSecond, 2)}x` : ''} |`,
      ),
      '',
    );
    if (emmett && ours)
      push(`Ours ÷ Emmett: ${round(ours.eventsPerSecond / emmett.eventsPerSecond, 2)}x.`, '');
  }
  if (r.simulation) {
    push(
      `## What-if simulation (POST /v1/simulations; draft: ${r.simulation.draft})`,
      '',
      '| range | time | service CPU | load average | collections | refunds | attempt streams | events replayed | events/s | rows | actual net | simulated net | RSS before | RSS peak while running |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...r.simulation.runs.map(
        (run) =>
          `| ${run.range} (${run.from} .. ${run.to}) | ${round(run.ms / 1000, 2)} s | ${formatNumber(run.serviceCpuMs)} ms | ${run.loadAverage} | ${formatNumber(run.collections)} | ${formatNumber(run.refunds)} | ${formatNumber(run.attempts)} | ${formatNumber(run.replayedEvents)} | ${formatNumber(run.eventsPerSecond)} | ${formatNumber(run.rows)} | ${formatNumber(run.actualNet)} | ${formatNumber(run.simulatedNet)} | ${formatBytes(run.rssBeforeBytes)} | ${formatBytes(run.peakRssBytes)} |`,
      ),
      '',
    );
  }
  push(
    '## Memory of the service process',
    '',
    `Peak RSS (VmHWM): ${formatBytes(r.memory.peakRssBytes)}. Largest RSS sampled per phase: ${Object.entries(
      r.memory.phasePeakRssBytes,
    )
      .map(([phase, bytes]) => `${phase} ${formatBytes(bytes)}`)
      .join(', ')}.`,
    '',
  );
  return lines.join('\n');
}
