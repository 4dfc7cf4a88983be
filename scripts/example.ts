/**
 * The README's worked example, run against a service: `npm run example` (BASE and KEY from the
 * environment, default http://localhost:3000 and ADMIN_API_KEY) on a fresh database. It sends exactly
 * the requests the README shows and prints each with its answer; `npm run example -- --readme` writes
 * the answers into the README's example blocks, and test/example.e2e-spec.ts checks that the README
 * shows what a run against the real app answers. Values that differ from run to run (log positions,
 * times of recording, generated ids and keys) are shown as "…".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One request of the walkthrough and its answer as the README shows it. */
export interface Step {
  readonly block: string;
  readonly command: string;
  readonly output: string;
}

type Method = 'GET' | 'POST' | 'PATCH';

const VOLATILE_KEYS = new Set([
  'position',
  'next',
  'enrolledAt',
  'updatedAt',
  'definedAt',
  'createdAt',
  'recordedAt',
  'asOf',
  'checkedEvents',
  'paidAt',
]);

/** The answer with run-dependent values replaced by "…". */
function stable(value: unknown, key = ''): unknown {
  if (VOLATILE_KEYS.has(key) && value !== null && !(key === 'paidAt' && value === PAID_AT)) return '…';
  if (Array.isArray(value)) return value.map((item) => stable(item));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stable(v, k)]));
  return value;
}

const PAID_AT = '2026-02-15T10:00:00.000Z';
const json = (headers: string) => `${headers} -H 'content-type: application/json'`;
const AUTH = '-H "Authorization: Bearer $KEY"';

export class Walkthrough {
  readonly steps: Step[] = [];
  private lastPosition: string | null = null;

  constructor(
    readonly base: string,
    readonly key: string,
    private readonly print: (line: string) => void = () => undefined,
  ) {}

  /** Sends one request, records the curl line a person would type and the answer. */
  async call(
    block: string,
    method: Method,
    path: string,
    body?: unknown,
    show: (answer: { status: number; text: string; body: unknown; headers: Headers }) => string = (a) =>
      JSON.stringify(stable(a.body)),
  ): Promise<unknown> {
    // Reports wait for the last write (waitFor) so that a script is as consistent as a person typing.
    const waits = method === 'GET' && /\/v1\/(reports|partners\/[^/]+\/ledger)/.test(path);
    const url =
      waits && this.lastPosition
        ? `${path}${path.includes('?') ? '&' : '?'}waitFor=${this.lastPosition}`
        : path;
    const response = await fetch(`${this.base}${url}`, {
      method,
      redirect: 'manual',
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (response.status >= 400) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    const position = (parsed as { position?: unknown } | null)?.position;
    if (typeof position === 'string') this.lastPosition = position;
    const data = body === undefined ? '' : ` -d '${JSON.stringify(body)}'`;
    const target = path.includes('?') ? `"$BASE${path}"` : `$BASE${path}`;
    const command =
      method === 'GET' ? `curl -s ${target} ${AUTH}` : `curl -s -X ${method} ${target} ${json(AUTH)}${data}`;
    const output = show({ status: response.status, text, body: parsed, headers: response.headers });
    this.steps.push({ block, command, output });
    this.print(`$ ${command}\n${output}\n`);
    return parsed;
  }

  note(block: string, command: string, output: string): void {
    this.steps.push({ block, command, output });
    this.print(`$ ${command}\n${output}\n`);
  }
}

const REPORT = 'from=2026-01-01&to=2026-01-31';
const click = { partnerCode: 'Amy', linkCode: 'spring', visitorId: 'v-123', ip: '203.0.113.7' };
const annual = (n: number) => ({
  attemptId: `a-${n}`,
  orderId: `o-${n}`,
  contactId: 'john',
  kind: 'subscription',
  subscriptionId: `s-${n}`,
  visitorId: 'v-123',
  currency: 'USD',
  items: [{ productId: 'annual', quantity: 1, unitPrice: 29700 }],
});
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The worked example of the README, step by step. */
export async function runWalkthrough(w: Walkthrough): Promise<Walkthrough> {
  // Configuration: a program (10% to the partner, 3% to its parent), Ben, Amy recruited by Ben, a link.
  const configured = (a: { body: unknown }) => {
    const b = a.body as { id: string };
    return `# -> 201 ${b.id}`;
  };
  await w.call(
    'configure',
    'POST',
    '/v1/programs',
    { id: 'standard', name: 'Standard', default: { sale: [{ percent: '10' }, { percent: '3' }] } },
    configured,
  );
  await w.call(
    'configure',
    'POST',
    '/v1/partners',
    { id: 'ben', code: 'Ben', name: 'Ben Brown', email: 'ben@example.com', programIds: ['standard'] },
    configured,
  );
  await w.call(
    'configure',
    'POST',
    '/v1/partners',
    {
      id: 'amy',
      code: 'Amy',
      name: 'Amy Adams',
      email: 'amy@example.com',
      parentId: 'ben',
      programIds: ['standard'],
      leadCookieDays: 30,
      password: 'a long secret',
    },
    configured,
  );
  await w.call(
    'configure',
    'POST',
    '/v1/links',
    { id: 'spring', code: 'spring', name: 'Spring offer', destinationUrl: 'https://shop.example.com/spring' },
    configured,
  );

  // A visitor follows Amy's tracking link: a click is recorded, the browser gets its visitor cookie.
  const redirect = await fetch(`${w.base}/r/Amy/spring`, { redirect: 'manual' });
  w.note(
    'configure',
    "curl -si $BASE/r/Amy/spring | grep -i -E '^(location|set-cookie)'",
    [
      `location: ${redirect.headers.get('location')}`,
      `set-cookie: ${(redirect.headers.get('set-cookie') ?? '').replace(/rp_vid=[^;]+/, 'rp_vid=…').replace(/Expires=[^;]+/, 'Expires=…')}`,
    ].join('\n'),
  );

  // John: a click (published by the shop), an opt-in, the $97 premium collected.
  const results = (a: { body: unknown }) =>
    `# -> ${JSON.stringify(stable((a.body as { results: unknown[] }).results))}`;
  await w.call(
    'sale',
    'POST',
    '/v1/events',
    {
      events: [
        { eventId: 'clk-1', type: 'LinkClicked', occurredAt: '2026-01-05T09:00:00Z', data: click },
        {
          eventId: 'opt-1',
          type: 'ContactOptedIn',
          occurredAt: '2026-01-05T09:05:00Z',
          data: { contactId: 'john', visitorId: 'v-123', email: 'john@example.com' },
        },
        {
          eventId: 'att-1',
          type: 'PurchaseAttempted',
          occurredAt: '2026-01-05T09:10:00Z',
          data: {
            attemptId: 'a-1',
            orderId: 'o-1',
            contactId: 'john',
            kind: 'order',
            visitorId: 'v-123',
            currency: 'USD',
            items: [{ productId: 'premium', quantity: 1, unitPrice: 9700 }],
          },
        },
        {
          eventId: 'col-1',
          type: 'PaymentCollected',
          occurredAt: '2026-01-05T09:10:02Z',
          data: { attemptId: 'a-1' },
        },
      ],
    },
    results,
  );
  // ... then the $297 annual subscription, three times, declined each time.
  await w.call(
    'sale',
    'POST',
    '/v1/events',
    {
      events: [2, 3, 4].flatMap((n) => [
        {
          eventId: `att-${n}`,
          type: 'PurchaseAttempted',
          occurredAt: `2026-01-06T10:0${n}:00Z`,
          data: annual(n),
        },
        {
          eventId: `dec-${n}`,
          type: 'PaymentDeclined',
          occurredAt: `2026-01-06T10:0${n}:05Z`,
          data: { attemptId: `a-${n}`, reason: 'card declined' },
        },
      ]),
    },
    results,
  );

  // The moment before the refund is recorded, for the auditor's as-of ledger below.
  await sleep(1100);
  const beforeRefund = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  w.note('sale', 'sleep 1; BEFORE_REFUND=$(date -u +%Y-%m-%dT%H:%M:%SZ); sleep 1', '');
  await sleep(1100);
  await w.call(
    'sale',
    'POST',
    '/v1/events',
    {
      events: [
        {
          eventId: 'ref-1',
          type: 'RefundIssued',
          occurredAt: '2026-01-20T12:00:00Z',
          data: { refundId: 'r-1', attemptId: 'a-1', amount: 4850, currency: 'USD' },
        },
      ],
    },
    results,
  );

  // Who referred John, and why Amy was paid.
  await w.call('explain', 'GET', '/v1/contacts/john/referral-history');
  await w.call('explain', 'GET', '/v1/commissions/a-1:sale:L1:0');

  // The four reports and Amy's ledger.
  await w.call('reports', 'GET', `/v1/reports/link-stats?${REPORT}`);
  await w.call('reports', 'GET', `/v1/reports/products-sold?${REPORT}`);
  await w.call('reports', 'GET', `/v1/reports/ledger?${REPORT}`);
  await w.call('reports', 'GET', `/v1/reports/ledger?${REPORT}&format=csv`, undefined, (a) =>
    a.text.trimEnd().replace(/\r/g, ''),
  );
  await w.call('reports', 'GET', `/v1/partners/amy/ledger?${REPORT}`);
  await w.call('reports', 'GET', `/v1/reports/reconciliation?${REPORT}`);

  // Paying January's commissions on February 15.
  await w.call(
    'payouts',
    'PATCH',
    '/v1/settings',
    { payoutSchedule: { cutoffDay: 15, minimumBalance: 100 } },
    (a) => {
      const b = a.body as { payoutSchedule: unknown };
      return `# -> ... "payoutSchedule":${JSON.stringify(b.payoutSchedule)} ...`;
    },
  );
  await w.call('payouts', 'GET', '/v1/payouts/due?payDate=2026-02-15');
  await w.call('payouts', 'POST', '/v1/payouts/batches', {
    method: 'due',
    payDate: '2026-02-15',
    paymentType: 'PayPal',
    paidAt: '2026-02-15T10:00:00Z',
  });
  await w.call('payouts', 'GET', '/v1/payouts/batches/Batch-20260215?format=csv', undefined, (a) =>
    a.text.trimEnd().replace(/\r/g, ''),
  );

  // The auditor: Amy's ledger from the log alone, now and as it stood before the refund was recorded.
  await w.call('audit', 'GET', '/v1/audit/partners/amy/ledger?from=2026-01-01&to=2026-02-28');
  const asOf = await fetch(
    `${w.base}/v1/audit/partners/amy/ledger?from=2026-01-01&to=2026-02-28&asOf=${beforeRefund}`,
    {
      headers: { authorization: `Bearer ${w.key}` },
    },
  );
  w.note(
    'audit',
    'curl -s "$BASE/v1/audit/partners/amy/ledger?from=2026-01-01&to=2026-02-28&asOf=$BEFORE_REFUND" -H "Authorization: Bearer $KEY"',
    JSON.stringify(stable(await asOf.json())),
  );
  await w.call('audit', 'GET', '/v1/audit/verify');
  return w;
}

/** The README's blocks, each between `<!-- example:NAME -->` and `<!-- /example:NAME -->`. */
export function renderBlocks(steps: readonly Step[]): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const step of steps) {
    const lines = [
      step.command,
      ...(step.output ? step.output.split('\n').map((l) => (l.startsWith('#') ? l : `# ${l}`)) : []),
    ];
    blocks.set(step.block, [...(blocks.get(step.block)?.split('\n') ?? []), ...lines].join('\n'));
  }
  return blocks;
}

const BLOCK = /<!-- example:([a-z-]+) -->\n\n```bash\n[\s\S]*?```\n\n<!-- \/example:\1 -->/g;

/** The README with its example blocks replaced by `blocks`. */
export function withBlocks(readme: string, blocks: Map<string, string>): string {
  return readme.replace(BLOCK, (whole, name: string) => {
    const body = blocks.get(name);
    return body === undefined
      ? whole
      : `<!-- example:${name} -->\n\n\`\`\`bash\n${body}\n\`\`\`\n\n<!-- /example:${name} -->`;
  });
}

async function main(): Promise<void> {
  const base = process.env['BASE'] ?? 'http://localhost:3000';
  const key = process.env['KEY'] ?? process.env['ADMIN_API_KEY'];
  if (!key) throw new Error('Set KEY (or ADMIN_API_KEY) to an admin key of the service at BASE');
  const walk = await runWalkthrough(new Walkthrough(base, key, (line) => process.stdout.write(`${line}\n`)));
  if (process.argv.includes('--readme')) {
    const readme = join(process.cwd(), 'README.md');
    writeFileSync(readme, withBlocks(readFileSync(readme, 'utf8'), renderBlocks(walk.steps)));
    process.stderr.write('README.md example blocks rewritten from this run\n');
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
