import type { Response } from 'supertest';
import { formatLocalTime, formatMoney } from '@app/domain';
import { startTestApp, type TestApp } from './support/test-app';
import {
  attempt,
  click,
  collect,
  createLink,
  createPartner,
  createProgram,
  ingestAll,
  refund,
  uniqueId,
} from './support/fixtures';
import { pdfPages } from './support/pdf-text';

let t: TestApp;
let link: { id: string; code: string };
const partners: { id: string; code: string; name: string }[] = [];
let batchId: string;
let token: string;
/** The batch's position: reads wait for the ledger projection to include it. */
let waitFor: string;

const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function sale(partnerId: string, at: string, unitPrice: number): Promise<string> {
  const attemptId = uniqueId('a');
  const visitorId = uniqueId('v');
  await ingestAll(t, [
    click(at, { partnerId, linkId: link.id, visitorId }),
    attempt(at, {
      attemptId,
      contactId: uniqueId('c'),
      visitorId,
      items: [{ productId: 'premium', quantity: 1, unitPrice }],
    }),
    collect(at, attemptId),
  ]);
  return attemptId;
}

beforeAll(async () => {
  t = await startTestApp();
  const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
  link = await createLink(t);
  for (const name of ['Amy Adams', 'Ben Björk']) {
    const code = `p${uniqueId('x').replace(/-/g, '')}`;
    const id = await createPartner(t, {
      code,
      name,
      programIds: [program],
      password: 'partner secret',
    } as never);
    partners.push({ id, code, name });
  }
  const [amy, ben] = partners as [(typeof partners)[0], (typeof partners)[0]];
  const first = await sale(amy.id, '2026-01-05T09:10:00Z', 9700);
  await sale(amy.id, '2026-01-12T15:00:00Z', 5000);
  await ingestAll(t, [refund('2026-01-20T12:00:00Z', first, 4850)]);
  await t
    .admin()
    .post(`/v1/partners/${amy.id}/adjustments`)
    .send({ amount: -100, reason: 'Bank fee', occurredAt: '2026-01-21T00:00:00Z' })
    .expect(201);
  await sale(ben.id, '2026-01-07T10:00:00Z', 12345);
  batchId = uniqueId('Batch');
  const created = await t
    .admin()
    .post('/v1/payouts/batches')
    .send({
      batchId,
      method: 'earned-in-range',
      from: '2026-01-01',
      to: '2026-01-31',
      partnerIds: [amy.id, ben.id],
      paymentType: 'check',
      paidAt: '2026-02-01T12:00:00Z',
    })
    .expect(201);
  waitFor = created.body.position as string;
  const login = await t
    .http()
    .post('/v1/partner-center/login')
    .send({ code: amy.code, password: 'partner secret' })
    .expect(200);
  token = login.body.token as string;
});

afterAll(async () => {
  await t.close();
});

interface Ledger {
  partnerCode: string;
  currency: string;
  beginningBalance: number;
  commissions: number;
  clawbacks: number;
  adjustments: number;
  payments: number;
  endingBalance: number;
  entries: { occurredAt: string; amount: number; balance: number }[];
}

/** Every number of the JSON ledger, as the PDF prints it. */
function expectSameNumbers(text: string, ledger: Ledger): void {
  const money = (minor: number) => formatMoney(minor, ledger.currency);
  expect(text).toContain(`(${ledger.partnerCode})`);
  for (const [label, value] of [
    ['Beginning balance', ledger.beginningBalance],
    ['Commissions', ledger.commissions],
    ['Clawbacks', -ledger.clawbacks],
    ['Adjustments', ledger.adjustments],
    ['Payments', -ledger.payments],
    ['Ending balance', ledger.endingBalance],
  ] as const) {
    expect(text).toContain(`${label} | ${money(value)}`);
  }
  for (const entry of ledger.entries) {
    expect(text).toMatch(
      new RegExp(
        `${formatLocalTime(entry.occurredAt, 'UTC')} \\| [^|]+ \\| ${escape(money(entry.amount))} \\| ${escape(money(entry.balance))}`,
      ),
    );
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\$]/g, '\\$&');

describe('printable ledgers', () => {
  it('GET /v1/partners/:id/ledger?format=pdf prints the numbers of the JSON ledger', async () => {
    const amy = partners[0]!;
    const range = `?from=2026-01-01&to=2026-02-28&waitFor=${waitFor}`;
    const json = await t.admin().get(`/v1/partners/${amy.id}/ledger${range}`).expect(200);
    const ledger = json.body as Ledger;
    expect(ledger.entries.length).toBeGreaterThanOrEqual(4);
    const pdf = await t
      .admin()
      .get(`/v1/partners/${amy.id}/ledger${range}&format=pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename=".+\.pdf"$/);
    const body = pdf.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = await pdfPages(body);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('Amy Adams');
    expect(pages[0]).toContain('Period 2026-01-01 to 2026-02-28 (UTC), amounts in USD');
    expectSameNumbers(pages[0]!, ledger);
    expect(pages[0]).toContain('Adjustment: Bank fee');
    await t.admin().get(`/v1/partners/nobody/ledger${range}&format=pdf`).expect(404);
    await t.admin().get(`/v1/partners/${amy.id}/ledger${range}&format=doc`).expect(400);
  });

  it('GET /v1/payouts/batches/:batchId/ledgers.pdf has one page per paid partner, with its payment', async () => {
    const pdf = await t
      .admin()
      .get(`/v1/payouts/batches/${batchId}/ledgers.pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const pages = await pdfPages(pdf.body as Buffer);
    const batch = await t.admin().get(`/v1/payouts/batches/${batchId}`).expect(200);
    const payments = batch.body.payments as { partnerId: string; amount: number }[];
    expect(pages).toHaveLength(payments.length);
    for (const [index, payment] of payments.entries()) {
      const json = await t
        .admin()
        .get(`/v1/partners/${payment.partnerId}/ledger?from=2026-01-01&to=2026-02-01&waitFor=${waitFor}`);
      const ledger = json.body as Ledger;
      expect(pages[index]).toContain(
        `Payment batch ${batchId}: paid ${formatMoney(payment.amount, 'USD')} by check on 2026-02-01`,
      );
      expectSameNumbers(pages[index]!, ledger);
    }
    // Latin-1 names (WinAnsi, the standard fonts' encoding) print as they are.
    expect(pages.join('\n')).toContain('Ben Björk');
    await t.admin().get('/v1/payouts/batches/nope/ledgers.pdf').expect(404);
  });

  it('GET /v1/me/ledger?format=pdf prints the signed-in partner ledger', async () => {
    const json = await t
      .as(token)
      .get(`/v1/me/ledger?from=2026-01-01&to=2026-01-31&waitFor=${waitFor}`)
      .expect(200);
    const pdf = await t
      .as(token)
      .get('/v1/me/ledger?from=2026-01-01&to=2026-01-31&format=pdf')
      .buffer(true)
      .parse(binary)
      .expect(200);
    const pages = await pdfPages(pdf.body as Buffer);
    expectSameNumbers(pages[0]!, json.body as Ledger);
  });
});
