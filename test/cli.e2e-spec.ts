/** The operator's command line, run as a user runs it (the built CLI on a real database). */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { attempt, collect, createPartner, createProgram, ingestAll, uniqueId } from './support/fixtures';
import { buildService } from './support/service-process';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let cli: string;
let partner: string;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, DATABASE_URL: t.database.url, ADMIN_API_KEY: 'cli-test-admin-key-0123456789' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  const main = await buildService();
  cli = join(dirname(main), '../../cli/src/main.js');
  t = await startTestApp();
  const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
  const code = `cli${uniqueId('x').replace(/-/g, '')}`;
  partner = await createPartner(t, { code, programIds: [program] });
  const id = uniqueId('att');
  const results = await ingestAll(t, [
    attempt('2026-01-10T10:00:00Z', {
      attemptId: id,
      contactId: uniqueId('c'),
      partnerCode: code,
      items: [{ productId: 'p', quantity: 1, unitPrice: 10000 }],
    }),
    collect('2026-01-10T10:00:01Z', id),
  ]);
  await t
    .admin()
    .get('/v1/reports/ledger')
    .query({ from: '2026-01-01', to: '2026-01-31', waitFor: results[1]!.position })
    .expect(200);
}, 180_000);

afterAll(async () => {
  await t.close();
});

describe('npm run cli', () => {
  it('lists the projections', async () => {
    const result = await run(['projections']);
    expect(result.code).toBe(0);
    for (const name of ['ledger', 'link-stats', 'products-sold', 'reconciliation', 'audit-chain'])
      expect(result.stdout).toContain(name);
  });

  it('exports the ledger report as CSV', async () => {
    const result = await run(['ledger-csv', '--from', '2026-01-01', '--to', '2026-01-31']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\r\n');
    expect(lines[0]).toBe(
      'partnerId,partnerCode,beginningBalance,commissions,clawbacks,adjustments,payments,endingBalance',
    );
    expect(lines.find((l) => l.startsWith(`${partner},`))).toMatch(/,0,1000,0,0,0,1000$/);
  });

  it('prints a partner ledger recomputed from the log', async () => {
    const result = await run(['partner-ledger', partner, '--from', '2026-01-01', '--to', '2026-01-31']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Ending balance: 1000');
  });

  it('rebuilds one projection with a progress line, then verifies everything', async () => {
    const rebuild = await run(['rebuild', 'ledger']);
    expect(rebuild.code).toBe(0);
    expect(rebuild.stderr).toMatch(/rebuild ledger \[#+\] 100% \d+\/\d+ events, \d+ events\/s/);
    const verify = await run(['verify']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ consistent: true, differences: [] });
  });

  it('answers mistakes with one clear line and a non-zero exit code', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe('Unknown command "frobnicate"');
    const missing = await run(['ledger-csv', '--from', '2026-01-01']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('ledger-csv needs --from and --to');
    const noProjection = await run(['rebuild', 'nope']);
    expect(noProjection.code).toBe(2);
    const badDay = await run(['ledger-csv', '--from', '2026-13-01', '--to', '2026-01-31']);
    expect(badDay.code).toBe(1);
    expect(badDay.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an unknown partner on partner-ledger with one line, like the API (404)', async () => {
    const result = await run([
      'partner-ledger',
      'nobody-on-file',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-31',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['Error: No partner nobody-on-file']);
    expect(result.stdout).toBe('');
  });

  it('checks days and instants as the API does (issue 13.3)', async () => {
    for (const [args, option] of [
      [['partner-ledger', partner, '--to', '2027-02-30'], '--to'],
      [['partner-ledger', partner, '--from', '1969-12-31'], '--from'],
      [['partner-ledger', partner, '--as-of', '2027-06-30T23:59:60Z'], '--as-of'],
      [['ledger-csv', '--from', '2027-01-01', '--to', '2027-04-31'], '--to'],
    ] as const) {
      const result = await run([...args]);
      expect([args, result.code]).toEqual([args, 1]);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(option)]);
    }
    const end = await run(['partner-ledger', partner, '--from', '2026-01-01', '--to', '9999-12-31']);
    expect(end.code).toBe(0);
    expect(end.stdout).toContain('Ending balance: 1000');
  });
});
