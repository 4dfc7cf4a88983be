/**
 * The README's worked example reproduces: the walkthrough `npm run example` sends (scripts/example.ts)
 * runs against the real app on a fresh database, and the README shows exactly its answers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Walkthrough, renderBlocks, runWalkthrough, withBlocks } from '../scripts/example';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.close();
});

const BLOCKS = ['configure', 'sale', 'explain', 'reports', 'payouts', 'audit'];

it('answers what the README shows, block by block (regenerate with npm run example -- --readme)', async () => {
  const walk = await runWalkthrough(new Walkthrough(t.baseUrl, ADMIN_KEY));
  const readme = readFileSync(join(__dirname, '../README.md'), 'utf8');
  const blocks = renderBlocks(walk.steps);
  expect([...blocks.keys()]).toEqual(BLOCKS);
  for (const name of BLOCKS) expect(readme).toContain(`<!-- example:${name} -->`);
  expect(withBlocks(readme, blocks)).toBe(readme);

  // The numbers the prose and the table of the worked example state.
  const ledger = walk.steps.find((s) =>
    s.command.includes('/v1/reports/ledger?from=2026-01-01&to=2026-01-31"'),
  );
  expect(JSON.parse(ledger!.output)).toMatchObject({
    rows: [
      { partnerId: 'amy', commissions: 970, clawbacks: 485, endingBalance: 485 },
      { partnerId: 'ben', commissions: 291, clawbacks: 146, endingBalance: 145 },
    ],
  });
  // The as-of ledger, before the refund was recorded, has no clawback yet; today's has it.
  const [now, before] = walk.steps.filter((s) => s.command.includes('/v1/audit/partners/amy/ledger'));
  expect(now!.output).toContain('"type":"clawback"');
  expect(before!.output).not.toContain('"type":"clawback"');
  expect(before!.output).toContain('"type":"commission"');
});
