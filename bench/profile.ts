/** Summarises a V8 .cpuprofile (node --cpu-prof): where the service's CPU time went, by function and by package. */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  readonly byPackage: ProfileEntry[];
  readonly byFunction: ProfileEntry[];
}

/** node_modules/<pkg>, dist/libs/<lib>, node:internal, or V8's own pseudo-frames such as (garbage collector). */
function packageOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') return frame.functionName || '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  const lib = /\/libs\/([^/]+)\/src\/(?:([^/]+)\/)?/.exec(url);
  if (lib?.[1]) return `@app/${lib[1]}${lib[2] && !lib[2].endsWith('.js') ? `/${lib[2]}` : ''}`;
  if (url.includes('/apps/')) return 'apps';
  if (url.startsWith('node:')) return 'node (core)';
  return url.replace(/^file:\/\//, '');
}

function functionOf(frame: CallFrame): string {
  const file = frame.url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, 'node_modules/')
    .replace(/^.*\/(libs|apps)\//, '$1/');
  const name = frame.functionName || '(anonymous)';
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; attribute the following interval to sample i.
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!;
    const us = deltas[i + 1] ?? 0;
    self.set(id, (self.get(id) ?? 0) + us);
  }
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = nodes.get(id);
    if (!node) continue;
    total += us;
    const pkg = packageOf(node.callFrame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = functionOf(node.callFrame);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const entries = (map: Map<string, number>) =>
    [...map]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        share: total > 0 ? Math.round((1000 * us) / total) / 10 : 0,
      }));
  return {
    file,
    totalMs: Math.round(total / 1000),
    byPackage: entries(byPackage),
    byFunction: entries(byFunction),
  };
}

export function profileMarkdown(summary: ProfileSummary): string {
  const table = (title: string, rows: ProfileEntry[]) =>
    [
      `| ${title} | self ms | share |`,
      '|---|---:|---:|',
      ...rows.map((r) => `| \`${r.name.replace(/\|/g, '\\|')}\` | ${r.ms} | ${r.share}% |`),
    ].join('\n');
  return [
    `CPU profile of the service process (\`${summary.file}\`), ${summary.totalMs} ms of samples (idle included).`,
    '',
    table('package', summary.byPackage),
    '',
    table('function', summary.byFunction),
    '',
  ].join('\n');
}
