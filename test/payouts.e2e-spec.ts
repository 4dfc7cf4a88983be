import { startTestApp, type TestApp } from './support/test-app';
import {
  attempt,
  collect,
  createPartner,
  createProgram,
  ingestAll,
  patchSettings,
  refund,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let program: string;

beforeAll(async () => {
  t = await startTestApp();
  // Flat 100 per unit: quantity N earns N * 100.
  program = await createProgram(t, { default: { sale: [{ flat: 100 }] } });
});

afterAll(async () => {
  await t.close();
});

async function partner(): Promise<{ id: string; code: string }> {
  const code = `pay${uniqueId('x').replace(/-/g, '')}`;
  return { id: await createPartner(t, { code, programIds: [program] }), code };
}

/** A collected sale earning `units * 100` for the partner at `at`; returns the attempt id. */
async function sale(p: { code: string }, at: string, units: number): Promise<string> {
  const id = uniqueId('att');
  await ingestAll(t, [
    attempt(at, {
      attemptId: id,
      contactId: uniqueId('c'),
      partnerCode: p.code,
      items: [{ productId: 'course', quantity: units, unitPrice: 1000 }],
    }),
    collect(at, id),
  ]);
  return id;
}

async function headPosition(): Promise<string> {
  const response = await t.admin().get('/v1/audit/events').query({ limit: 1000 });
  let next = response.body.next as string;
  for (;;) {
    const page = await t.admin().get('/v1/audit/events').query({ after: next, limit: 1000 });
    if (page.body.events.length === 0) return next;
    next = page.body.next as string;
  }
}

async function ledger(partnerId: string, from: string, to: string) {
  const waitFor = await headPosition();
  const response = await t
    .admin()
    .get(`/v1/partners/${partnerId}/ledger`)
    .query({ from, to, waitFor })
    .expect(200);
  return response.body as {
    beginningBalance: number;
    endingBalance: number;
    entries: { type: string; amount: number; balance: number; batchId?: string; paymentType?: string }[];
  };
}

describe('manual payments and adjustments', () => {
  it('records each as an event visible in the partner ledger', async () => {
    const p = await partner();
    await sale(p, '2026-03-01T10:00:00Z', 50);
    const paid = await t
      .admin()
      .post(`/v1/partners/${p.id}/payments`)
      .send({ amount: 2000, paymentType: 'check', paidAt: '2026-03-05T00:00:00Z', note: 'check #12' })
      .expect(201);
    expect(paid.body).toMatchObject({
      partnerId: p.id,
      amount: 2000,
      paymentType: 'check',
      position: expect.any(String),
    });
    await t
      .admin()
      .post(`/v1/partners/${p.id}/adjustments`)
      .send({ amount: -300, reason: 'duplicate order', occurredAt: '2026-03-06T00:00:00Z' })
      .expect(201);
    const result = await ledger(p.id, '2026-03-01', '2026-03-31');
    expect(result.entries.map((e) => [e.type, e.amount, e.balance])).toEqual([
      ['commission', 5000, 5000],
      ['payment', -2000, 3000],
      ['adjustment', -300, 2700],
    ]);
    expect(result.entries[1]?.paymentType).toBe('check');
  });

  it('validates amounts and refuses an unknown partner, and treats a retry with the same id as the same payment', async () => {
    const p = await partner();
    await t
      .admin()
      .post(`/v1/partners/${p.id}/payments`)
      .send({ amount: 0, paymentType: 'check' })
      .expect(400);
    await t
      .admin()
      .post(`/v1/partners/${p.id}/payments`)
      .send({ amount: 1.5, paymentType: 'check' })
      .expect(400);
    await t
      .admin()
      .post(`/v1/partners/${p.id}/payments`)
      .send({ amount: 10, paymentType: 'check', currency: 'EUR' })
      .expect(422);
    await t.admin().post(`/v1/partners/${p.id}/adjustments`).send({ amount: 0, reason: 'x' }).expect(400);
    await t.admin().post(`/v1/partners/${p.id}/adjustments`).send({ amount: 10 }).expect(400);
    await t
      .admin()
      .post('/v1/partners/nobody/payments')
      .send({ amount: 10, paymentType: 'check' })
      .expect(404);
    const body = { id: uniqueId('pay'), amount: 10, paymentType: 'paypal', paidAt: '2026-03-10T00:00:00Z' };
    const first = await t.admin().post(`/v1/partners/${p.id}/payments`).send(body).expect(201);
    const again = await t.admin().post(`/v1/partners/${p.id}/payments`).send(body).expect(201);
    expect(again.body.position).toBe(first.body.position);
    await t
      .admin()
      .post(`/v1/partners/${p.id}/payments`)
      .send({ ...body, amount: 11 })
      .expect(409);
    const result = await ledger(p.id, '2026-03-01', '2026-03-31');
    expect(result.entries.filter((e) => e.type === 'payment')).toHaveLength(1);
  });

  it('answers concurrent retries of one payment or adjustment alike, with one entry each (also without a date)', async () => {
    const p = await partner();
    const payment = { id: uniqueId('pay'), amount: 12, paymentType: 'check' };
    const adjustment = { id: uniqueId('adj'), amount: -3, reason: 'fee' };
    const [payments, adjustments] = await Promise.all([
      Promise.all([1, 2, 3].map(() => t.admin().post(`/v1/partners/${p.id}/payments`).send(payment))),
      Promise.all([1, 2, 3].map(() => t.admin().post(`/v1/partners/${p.id}/adjustments`).send(adjustment))),
    ]);
    for (const responses of [payments, adjustments]) {
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
      for (const response of responses) expect(response.body).toEqual(responses[0]?.body);
    }
    await t
      .admin()
      .post(`/v1/partners/${p.id}/adjustments`)
      .send({ ...adjustment, reason: 'other' })
      .expect(409);
    const result = await ledger(p.id, '2000-01-01', '2100-12-31');
    expect(result.entries.filter((e) => e.type === 'payment')).toHaveLength(1);
    expect(result.entries.filter((e) => e.type === 'adjustment')).toHaveLength(1);
  });
});

describe('batch payouts over the ledger report', () => {
  let a: { id: string; code: string };
  let b: { id: string; code: string };
  let c: { id: string; code: string };

  beforeAll(async () => {
    [a, b, c] = [await partner(), await partner(), await partner()];
    // A: paid in January, then a refund turns the balance negative before February.
    const jan = await sale(a, '2026-01-10T10:00:00Z', 10);
    await t
      .admin()
      .post(`/v1/partners/${a.id}/payments`)
      .send({ amount: 1000, paymentType: 'check', paidAt: '2026-01-15T00:00:00Z' })
      .expect(201);
    await ingestAll(t, [refund('2026-01-25T00:00:00Z', jan, 10000)]);
    await sale(a, '2026-02-05T10:00:00Z', 30);
    // B: a payment inside the range.
    await sale(b, '2026-02-05T10:00:00Z', 50);
    await t
      .admin()
      .post(`/v1/partners/${b.id}/payments`)
      .send({ amount: 2000, paymentType: 'check', paidAt: '2026-02-10T00:00:00Z' })
      .expect(201);
    // C: below the batch minimum.
    await sale(c, '2026-02-05T10:00:00Z', 5);
  });

  const batch = (method: string, extra: Record<string, unknown> = {}) =>
    t
      .admin()
      .post('/v1/payouts/batches')
      .send({
        batchId: uniqueId('Batch'),
        method,
        from: '2026-02-01',
        to: '2026-02-28',
        partnerIds: [a.id, b.id, c.id],
        paymentType: 'paypal',
        paidAt: '2026-03-01T12:00:00Z',
        minimumAmount: 1000,
        ...extra,
      });

  it('starts from the ledger the batch methods read', async () => {
    expect(await ledger(a.id, '2026-02-01', '2026-02-28')).toMatchObject({
      beginningBalance: -1000,
      endingBalance: 2000,
    });
    expect(await ledger(b.id, '2026-02-01', '2026-02-28')).toMatchObject({
      beginningBalance: 0,
      endingBalance: 3000,
    });
  });

  it.each([
    ['earned-in-range', 3000, 5000],
    ['beginning-plus-earned', 2000, 5000],
    ['ending-balance', 2000, 3000],
  ])('pays %s: A %i, B %i, and skips C below the minimum', async (method, amountA, amountB) => {
    const response = await batch(method).expect(201);
    expect(response.body.method).toBe(method);
    expect(response.body.payments).toEqual(
      [
        { partnerId: a.id, amount: amountA, paymentId: expect.any(String) },
        { partnerId: b.id, amount: amountB, paymentId: expect.any(String) },
      ].sort((x, y) => (x.partnerId < y.partnerId ? -1 : 1)),
    );
    expect(response.body.skipped).toEqual([{ partnerId: c.id, amount: 500, reason: 'below-minimum' }]);
    expect(response.body.total).toBe(amountA + amountB);
    expect(response.body.position).toEqual(expect.any(String));
  });

  it('skips zero and negative amounts with their reason', async () => {
    const d = await partner();
    const e = await partner();
    const jan = await sale(e, '2026-01-10T10:00:00Z', 10);
    await ingestAll(t, [refund('2026-02-12T00:00:00Z', jan, 10000)]);
    const response = await batch('earned-in-range', { partnerIds: [d.id, e.id], minimumAmount: 0 }).expect(
      201,
    );
    expect(response.body.payments).toEqual([]);
    expect(response.body.skipped).toEqual(
      [
        { partnerId: d.id, amount: 0, reason: 'zero' },
        { partnerId: e.id, amount: -1000, reason: 'negative' },
      ].sort((x, y) => (x.partnerId < y.partnerId ? -1 : 1)),
    );
  });

  it('names the batch Batch-YYYYMMDD of the payment date by default, and refuses a used batch id', async () => {
    const response = await batch('earned-in-range', {
      batchId: undefined,
      paidAt: '2015-06-24T15:00:00Z',
    }).expect(201);
    expect(response.body.batchId).toBe('Batch-20150624');
    const again = await batch('earned-in-range', {
      batchId: undefined,
      paidAt: '2015-06-24T18:00:00Z',
    }).expect(409);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
  });

  it('makes exactly one batch and one payment per partner from two identical requests at the same moment', async () => {
    const p = await partner();
    await sale(p, '2026-02-07T10:00:00Z', 20);
    const body = {
      batchId: uniqueId('Batch'),
      method: 'earned-in-range',
      from: '2026-02-01',
      to: '2026-02-28',
      partnerIds: [p.id],
      paymentType: 'check',
      paidAt: '2026-03-02T00:00:00Z',
    };
    const [one, two] = await Promise.all([
      t.admin().post('/v1/payouts/batches').send(body),
      t.admin().post('/v1/payouts/batches').send(body),
    ]);
    expect([one.status, two.status].sort()).toEqual([201, 409]);
    const result = await ledger(p.id, '2026-01-01', '2026-12-31');
    expect(result.entries.filter((e) => e.type === 'payment')).toEqual([
      expect.objectContaining({ amount: -2000, batchId: body.batchId }),
    ]);
  });

  it('lists batches, shows one, and exports it as CSV', async () => {
    const created = await batch('ending-balance').expect(201);
    const list = await t.admin().get('/v1/payouts/batches').expect(200);
    expect(list.body.map((x: { batchId: string }) => x.batchId)).toContain(created.body.batchId);
    const detail = await t.admin().get(`/v1/payouts/batches/${created.body.batchId}`).expect(200);
    expect(detail.body).toMatchObject({
      batchId: created.body.batchId,
      total: created.body.total,
      payments: created.body.payments,
    });
    const csv = await t
      .admin()
      .get(`/v1/payouts/batches/${created.body.batchId}`)
      .query({ format: 'csv' })
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('batchId,partnerId,paymentId,amount,currency,paymentType,paidAt,status,reason');
    expect(lines).toHaveLength(1 + created.body.payments.length + created.body.skipped.length);
    await t.admin().get('/v1/payouts/batches/nope').expect(404);
  });

  it('validates the request', async () => {
    await t
      .admin()
      .post('/v1/payouts/batches')
      .send({ method: 'earned-in-range', paymentType: 'x', to: '2026-01-31' })
      .expect(400);
    await t.admin().post('/v1/payouts/batches').send({ method: 'due', paymentType: 'x' }).expect(400);
    await t
      .admin()
      .post('/v1/payouts/batches')
      .send({ method: 'sideways', paymentType: 'x', from: '2026-01-01', to: '2026-01-31' })
      .expect(400);
    await t
      .admin()
      .post('/v1/payouts/batches')
      .send({ method: 'earned-in-range', paymentType: 'x', from: '2026-02-01', to: '2026-01-31' })
      .expect(400);
  });
});

describe('payout schedule (seed 000)', () => {
  it('pays commissions up to the 15th of the previous month on the 15th, when at least $100', async () => {
    await patchSettings(t, { payoutSchedule: { cutoffDay: 15, minimumBalance: 10000 } });
    const d = await partner();
    const e = await partner();
    await sale(d, '2026-01-10T10:00:00Z', 60);
    await sale(d, '2026-01-15T23:59:00Z', 50);
    await sale(d, '2026-01-16T00:01:00Z', 30); // after the cutoff: next month
    await sale(e, '2026-01-10T10:00:00Z', 50);
    await headPosition().then((waitFor) =>
      t
        .admin()
        .get('/v1/reports/ledger')
        .query({ from: '2026-01-01', to: '2026-01-31', waitFor })
        .expect(200),
    );
    const due = await t.admin().get('/v1/payouts/due').query({ payDate: '2026-02-15' }).expect(200);
    expect(due.body).toMatchObject({
      payDate: '2026-02-15',
      cutoff: '2026-01-16T00:00:00.000Z',
      minimumBalance: 10000,
    });
    const rows = due.body.rows as {
      partnerId: string;
      earnedThroughCutoff: number;
      paidSoFar: number;
      due: number;
      eligible: boolean;
    }[];
    expect(rows.find((r) => r.partnerId === d.id)).toEqual({
      partnerId: d.id,
      earnedThroughCutoff: 11000,
      paidSoFar: 0,
      due: 11000,
      eligible: true,
    });
    expect(rows.find((r) => r.partnerId === e.id)).toEqual({
      partnerId: e.id,
      earnedThroughCutoff: 5000,
      paidSoFar: 0,
      due: 5000,
      eligible: false,
    });

    const paid = await t
      .admin()
      .post('/v1/payouts/batches')
      .send({
        batchId: uniqueId('Batch'),
        method: 'due',
        payDate: '2026-02-15',
        partnerIds: [d.id, e.id],
        paymentType: 'check',
      })
      .expect(201);
    expect(paid.body.payments).toEqual([{ partnerId: d.id, amount: 11000, paymentId: expect.any(String) }]);
    expect(paid.body.skipped).toEqual([{ partnerId: e.id, amount: 5000, reason: 'below-minimum' }]);

    await ledger(d.id, '2026-01-01', '2026-12-31');
    const after = await t.admin().get('/v1/payouts/due').query({ payDate: '2026-02-15' }).expect(200);
    expect(
      (after.body.rows as { partnerId: string; due: number }[]).find((r) => r.partnerId === d.id)?.due,
    ).toBe(0);
    await t.admin().get('/v1/payouts/due').query({ payDate: 'soon' }).expect(400);
  });

  it('includes a commission acknowledged just before the request, without waiting for anything', async () => {
    await patchSettings(t, { payoutSchedule: { cutoffDay: 15, minimumBalance: 0 } });
    const f = await partner();
    await sale(f, '2026-01-05T10:00:00Z', 7);
    const due = await t.admin().get('/v1/payouts/due').query({ payDate: '2026-02-15' }).expect(200);
    expect(
      (due.body.rows as { partnerId: string; due: number }[]).find((r) => r.partnerId === f.id)?.due,
    ).toBe(700);
  });
});
