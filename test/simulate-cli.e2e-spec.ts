/** `npm run cli -- simulate`, run as a user runs it: the built CLI on a real database (see cli.e2e-spec.ts). */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { attempt, collect, createPartner, createProgram, ingestAll, refund } from './support/fixtures';
import { buildService } from './support/service-process';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let cli: string;
let dir: string;

const PROGRAM = {
  id: 'cli-standard',
  name: 'CLI standard',
  default: { sale: [{ percent: '10' }, { percent: '3' }] },
};

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: t.database.url, ADMIN_API_KEY: 'cli-test-admin-key-0123456789' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function eventCount(): Promise<string> {
  const client = new Client({ connectionString: t.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ dump: string }>(
      'SELECT count(*)::text || max(global_position)::text AS dump FROM events',
    );
    return rows[0]!.dump;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const main = await buildService();
  cli = join(dirname(main), '../../cli/src/main.js');
  dir = mkdtempSync(join(tmpdir(), 'simulate-cli-'));
  t = await startTestApp();
  await createProgram(t, PROGRAM);
  await createPartner(t, { id: 'cli-top', code: 'CliTop', programIds: [PROGRAM.id] });
  await createPartner(t, { id: 'cli-amy', code: 'CliAmy', programIds: [PROGRAM.id], parentId: 'cli-top' });
  await ingestAll(t, [
    attempt('2026-01-10T10:00:00Z', {
      attemptId: 'cli-1',
      contactId: 'cli-c1',
      partnerCode: 'CliAmy',
      items: [{ productId: 'premium', quantity: 1, unitPrice: 10000 }],
    }),
    collect('2026-01-10T10:00:01Z', 'cli-1'),
    refund('2026-01-20T10:00:00Z', 'cli-1', 5000, 'cli-r1'),
  ]);
  writeFileSync(
    join(dir, 'draft.json'),
    JSON.stringify({ ...PROGRAM, default: { sale: [{ percent: '20' }, { percent: '3' }] } }),
  );
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ levels: 1 }));
}, 180_000);

afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run cli -- simulate', () => {
  it('replays the range under a draft program with a progress line, and writes the rows as CSV', async () => {
    const before = await eventCount();
    const result = await run([
      'simulate',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-31',
      '--program-file',
      'draft.json',
      '--csv',
      'rows.csv',
    ]);
    expect([result.code, result.stderr]).toEqual([0, expect.any(String)]);
    expect(result.stderr).toMatch(/simulate 2026-01-01\.\.2026-01-31 \[#+\] 100% 2\/2 events, \d+ events\/s/);
    expect(result.stdout).toContain('nothing was written');
    expect(result.stdout).toMatch(/Replayed 1 collections and 1 refunds/);
    expect(result.stdout).toMatch(/^difference\s+1000\s+500\s+500$/m);
    expect(result.stdout).toContain('Wrote 2 rows to rows.csv');
    expect(readFileSync(join(dir, 'rows.csv'), 'utf8').split('\r\n')).toEqual([
      'partnerId,productId,actualCommissions,actualClawbacks,actualNet,simulatedCommissions,simulatedClawbacks,simulatedNet,differenceCommissions,differenceClawbacks,differenceNet',
      'cli-amy,premium,1000,500,500,2000,1000,1000,1000,500,500',
      'cli-top,premium,300,150,150,300,150,150,0,0,0',
      '',
    ]);
    expect(await eventCount()).toBe(before);
  });

  it('takes draft settings and partners, and puts the CSV on standard output with -', async () => {
    const result = await run([
      'simulate',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-31',
      '--settings-file',
      'settings.json',
      '--partner',
      'cli-top',
      '--csv',
      '-',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\r\n')[1]).toBe('cli-top,premium,300,150,150,0,0,0,-300,-150,-150');
    expect(result.stderr).toContain('nothing was written');
  });

  it('prints the rows as a table without --csv', async () => {
    const result = await run(['simulate', '--from', '2026-01-01', '--to', '2026-01-31']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/cli-amy.*premium.*500.*500.*0/);
  });

  it('answers mistakes with one line and a non-zero exit code', async () => {
    const missing = await run(['simulate', '--from', '2026-01-01']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('simulate needs --from and --to');
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ ...PROGRAM, default: { sale: [{ percent: '150' }] } }),
    );
    const bad = await run([
      'simulate',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-31',
      '--program-file',
      'bad.json',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(`programs.${PROGRAM.id}.default.sale[0].percent: must be a decimal string`),
    ]);
    const noFile = await run([
      'simulate',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-31',
      '--program-file',
      'nope.json',
    ]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(/^Error: Cannot read nope\.json/);
  });
});
