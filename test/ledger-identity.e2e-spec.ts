/**
 * Ledger entries are identified by their event, never by ids concatenated from client strings: facts
 * whose labels coincide are all in the ledger, and verify checks the ledger read model against the
 * ledger the pure domain computes from the log (issue 13, point 1).
 */
import { Client } from 'pg';
import { startTestApp, type TestApp } from './support/test-app';
import {
  attempt,
  collect,
  createPartner,
  createProgram,
  ingestAll,
  refund,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let db: Client;
let program: string;

beforeAll(async () => {
  t = await startTestApp();
  db = new Client({ connectionString: t.database.url });
  await db.connect();
  // 20% of every sale.
  program = await createProgram(t, { default: { sale: [{ percent: '20' }] } });
});

afterAll(async () => {
  await db.end();
  await t.close();
});

interface Entry {
  entryId: string;
  eventId: string;
  type: string;
  amount: number;
  balance: number;
  refundId?: string;
  batchId?: string;
}

/** The end of what the log lets readers see now (a write's own position is safer: see waitFor below). */
async function headPosition(): Promise<string> {
  let next: string | undefined;
  for (;;) {
    const page = await t
      .admin()
      .get('/v1/audit/events')
      .query({ limit: 1000, ...(next ? { after: next } : {}) })
      .expect(200);
    if (page.body.events.length === 0) return page.body.next as string;
    next = page.body.next as string;
  }
}

async function partnerLedger(partnerId: string, from: string, to: string, waitFor?: string) {
  const response = await t
    .admin()
    .get(`/v1/partners/${partnerId}/ledger`)
    .query({ from, to, waitFor: waitFor ?? (await headPosition()) })
    .expect(200);
  return response.body as { beginningBalance: number; endingBalance: number; entries: Entry[] };
}

async function enroll(prefix: string): Promise<{ id: string; code: string }> {
  const code = `${prefix}${uniqueId('x').replace(/-/g, '')}`;
  const id = await createPartner(t, { id: code.toLowerCase(), code, programIds: [program] });
  return { id, code };
}

describe('ledger entries never collide', () => {
  it('keeps a manual payment whose id equals a batch payment id, and the next batch does not pay it again', async () => {
    const dora = await enroll('Dora');
    const attemptId = uniqueId('att');
    // 20% of 36,500 = 7,300 earned.
    await ingestAll(t, [
      attempt('2026-04-03T10:00:00Z', {
        attemptId,
        contactId: uniqueId('c'),
        partnerCode: dora.code,
        items: [{ productId: 'workshop', quantity: 1, unitPrice: 36_500 }],
      }),
      collect('2026-04-03T10:00:05Z', attemptId),
    ]);
    const batchId = uniqueId('R9');
    // A manual payment whose client id is exactly what batch `batchId` names its payment to dora.
    await t
      .admin()
      .post(`/v1/partners/${dora.id}/payments`)
      .send({
        id: `${batchId}:${dora.id}`,
        amount: 2_500,
        paymentType: 'wire',
        paidAt: '2026-04-20T09:00:00Z',
      })
      .expect(201);
    const first = await t
      .admin()
      .post('/v1/payouts/batches')
      .send({
        batchId,
        method: 'ending-balance',
        from: '2026-04-01',
        to: '2026-04-30',
        partnerIds: [dora.id],
        paymentType: 'paypal',
        paidAt: '2026-05-02T12:00:00Z',
      })
      .expect(201);
    expect(first.body.payments).toEqual([
      { partnerId: dora.id, amount: 4_800, paymentId: `${batchId}:${dora.id}` },
    ]);

    // Both payments are in the ledger, each with its own identity.
    const ledger = await partnerLedger(dora.id, '2026-04-01', '2026-05-31', first.body.position as string);
    const payments = ledger.entries.filter((e) => e.type === 'payment');
    expect(payments.map((e) => [e.entryId, e.amount, e.batchId ?? null])).toEqual([
      [`${batchId}:${dora.id}`, -2_500, null],
      [`${batchId}:${dora.id}`, -4_800, batchId],
    ]);
    expect(new Set(payments.map((e) => e.eventId)).size).toBe(2);
    expect(ledger.endingBalance).toBe(0);
    const report = await t
      .admin()
      .get('/v1/reports/ledger')
      .query({ from: '2026-04-01', to: '2026-05-31', partnerId: dora.id })
      .expect(200);
    expect(report.body.rows).toEqual([
      expect.objectContaining({ partnerId: dora.id, commissions: 7_300, payments: 7_300, endingBalance: 0 }),
    ]);

    // Nothing is owed any more: the next batch pays dora nothing.
    const second = await t
      .admin()
      .post('/v1/payouts/batches')
      .send({
        batchId: uniqueId('R10'),
        method: 'ending-balance',
        from: '2026-04-01',
        to: '2026-05-31',
        partnerIds: [dora.id],
        paymentType: 'paypal',
        paidAt: '2026-06-02T12:00:00Z',
      })
      .expect(201);
    expect(second.body.payments).toEqual([]);
    expect(second.body.skipped).toEqual([{ partnerId: dora.id, amount: 0, reason: 'zero' }]);
  });

  it('keeps both clawbacks whose commission and refund ids concatenate to the same string', async () => {
    const emil = await enroll('Emil');
    const base = uniqueId('k');
    // Attempt `base` refunded by `zz:sale:L1:0:mm`, attempt `base:sale:L1:0:zz` refunded by `mm`: both
    // clawbacks would be `base:sale:L1:0:zz:sale:L1:0:mm`.
    const first = base;
    const second = `${base}:sale:L1:0:zz`;
    const sale = (attemptId: string, unitPrice: number, at: string) => [
      attempt(at, {
        attemptId,
        contactId: uniqueId('c'),
        partnerCode: emil.code,
        items: [{ productId: 'atlas', quantity: 1, unitPrice }],
      }),
      collect(at, attemptId),
    ];
    const written = await ingestAll(t, [
      ...sale(first, 12_000, '2026-07-01T08:00:00Z'), // earns 2,400
      ...sale(second, 8_500, '2026-07-02T08:00:00Z'), // earns 1,700
      refund('2026-07-10T08:00:00Z', first, 6_000, 'zz:sale:L1:0:mm'),
      refund('2026-07-11T08:00:00Z', second, 8_500, 'mm'),
    ]);
    const ledger = await partnerLedger(emil.id, '2026-07-01', '2026-07-31', written.at(-1)!.position);
    const clawbacks = ledger.entries.filter((e) => e.type === 'clawback');
    expect(clawbacks.map((e) => [e.entryId, e.refundId, e.amount, e.balance])).toEqual([
      [`${base}:sale:L1:0:zz:sale:L1:0:mm`, 'zz:sale:L1:0:mm', -1_200, 2_900],
      [`${base}:sale:L1:0:zz:sale:L1:0:mm`, 'mm', -1_700, 1_200],
    ]);
    expect(new Set(clawbacks.map((e) => e.eventId)).size).toBe(2);
    expect(ledger.endingBalance).toBe(1_200);

    const verify = await t.admin().get('/v1/audit/verify').expect(200);
    expect(verify.body).toMatchObject({ consistent: true, differences: [] });
  });
});

describe('verify checks the ledger against the pure domain', () => {
  it('reports a missing and a corrupted ledger row through the independent check', async () => {
    const finn = await enroll('Finn');
    const attemptId = uniqueId('att');
    await ingestAll(t, [
      attempt('2026-08-05T10:00:00Z', {
        attemptId,
        contactId: uniqueId('c'),
        partnerCode: finn.code,
        items: [{ productId: 'globe', quantity: 3, unitPrice: 4_100 }],
      }),
      collect('2026-08-05T10:00:01Z', attemptId),
      refund('2026-08-06T10:00:00Z', attemptId, 4_100),
    ]);
    const adjusted = await t
      .admin()
      .post(`/v1/partners/${finn.id}/adjustments`)
      .send({ amount: 333, reason: 'goodwill', occurredAt: '2026-08-07T00:00:00Z' })
      .expect(201);
    // The write's own position: an event committed behind a transaction still open elsewhere is not
    // readable yet, so the head of the readable log may not include it.
    const ledger = await partnerLedger(finn.id, '2026-08-01', '2026-08-31', adjusted.body.position as string);
    expect(ledger.entries.map((e) => [e.type, e.amount, e.balance])).toEqual([
      ['commission', 2_460, 2_460],
      ['clawback', -820, 1_640],
      ['adjustment', 333, 1_973],
    ]);
    const clean = await t.admin().get('/v1/audit/verify').expect(200);
    expect(clean.body).toMatchObject({ consistent: true, differences: [] });

    const [commission, clawback] = ledger.entries;
    await db.query(`DELETE FROM ledger_entries WHERE event_id = $1`, [clawback!.eventId]);
    await db.query(`UPDATE ledger_entries SET amount_minor = 2461 WHERE event_id = $1`, [
      commission!.eventId,
    ]);
    const broken = await t.admin().get('/v1/audit/verify').expect(200);
    expect(broken.body.consistent).toBe(false);
    const independent = (
      broken.body.differences as { readModel: string; key: string; expected: unknown; actual: unknown }[]
    ).filter((d) => d.readModel === 'ledger-audit');
    expect(independent).toEqual(
      expect.arrayContaining([
        {
          readModel: 'ledger-audit',
          key: `${finn.id}/${clawback!.eventId}`,
          expected: expect.objectContaining({ type: 'clawback', amount: -820, balance: 1_640 }),
          actual: null,
        },
        {
          readModel: 'ledger-audit',
          key: `${finn.id}/${commission!.eventId}`,
          expected: expect.objectContaining({ type: 'commission', amount: 2_460, balance: 2_460 }),
          actual: expect.objectContaining({ type: 'commission', amount: 2_461 }),
        },
      ]),
    );

    // A rebuild of the ledger repairs it; verify agrees again.
    await t.admin().post('/v1/admin/projections/ledger/rebuild').expect(202);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = (await t.admin().get('/v1/admin/projections').expect(200)).body as {
        name: string;
        status: string;
        rebuildPosition: string | null;
      }[];
      const state = states.find((s) => s.name === 'ledger');
      if (state?.status === 'running' && state.rebuildPosition === null) break;
      if (Date.now() > deadline) throw new Error('rebuild did not finish');
      await new Promise((r) => setTimeout(r, 50));
    }
    const repaired = await t.admin().get('/v1/audit/verify').expect(200);
    expect(repaired.body).toMatchObject({ consistent: true, differences: [] });
  });
});
