/**
 * Money you can trust (issue 13): the settlement currency is fixed once money exists, amounts cannot
 * overflow, parallel batches do not exhaust the pool, and the smaller contract gaps of payouts, ingest
 * and exports.
 */
import { Client } from 'pg';
import type { DomainEventType } from '../libs/domain/src';
import { EventWriter } from '../libs/core/src/write-model/event-writer';
import { startTestApp, type TestApp } from './support/test-app';
import {
  attempt,
  collect,
  createPartner,
  createProgram,
  ingest,
  ingestAll,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let program: string;

beforeAll(async () => {
  t = await startTestApp();
  // 7% of the line plus 30 per unit.
  program = await createProgram(t, { default: { sale: [{ percent: '7', flat: 30 }] } });
});

afterAll(async () => {
  await t.close();
});

async function partner(app: TestApp = t, programId = program, id?: string) {
  const code = `m${uniqueId('x').replace(/-/g, '')}`;
  return { id: await createPartner(app, { ...(id ? { id } : {}), code, programIds: [programId] }), code };
}

/** Every event of the log, in order, with the position after the last one. */
async function readLog(app: TestApp = t) {
  const events: { eventId: string; position: string }[] = [];
  let next = '0-0';
  for (;;) {
    const page = await app.admin().get('/v1/audit/events').query({ after: next, limit: 1000 }).expect(200);
    if (page.body.events.length === 0) return { events, next };
    events.push(...(page.body.events as { eventId: string; position: string }[]));
    next = page.body.next as string;
  }
}

async function headPosition(app: TestApp = t): Promise<string> {
  return (await readLog(app)).next;
}

/**
 * Makes the next request that decided an event of `type` wait, after the decision and before the
 * service appends it (its transaction open): `decided` resolves then, `release()` lets it go on.
 */
function pauseNextDecision(writer: EventWriter, type: DomainEventType) {
  const original = writer.write.bind(writer);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const decided = new Promise<void>((resolve) => (reached = resolve));
  let first = true;
  writer.write = async (appends, meta, tx) => {
    if (first && appends.some((a) => a.events.some((e) => e.event.type === type))) {
      first = false;
      reached();
      await gate;
    }
    return original(appends, meta, tx);
  };
  return { decided, release, restore: () => (writer.write = original) };
}

describe('the settlement currency is fixed once money is recorded', () => {
  const kinds = {
    attempt: async (app: TestApp, p: { id: string; code: string }) => {
      await ingestAll(app, [
        attempt('2026-05-02T08:00:00Z', {
          attemptId: uniqueId('cur'),
          contactId: uniqueId('c'),
          partnerCode: p.code,
          items: [{ productId: 'kit', quantity: 3, unitPrice: 4100 }],
        }),
      ]);
    },
    payment: async (app: TestApp, p: { id: string }) => {
      await app
        .admin()
        .post(`/v1/partners/${p.id}/payments`)
        .send({ amount: 777, paymentType: 'wire' })
        .expect(201);
    },
    adjustment: async (app: TestApp, p: { id: string }) => {
      await app
        .admin()
        .post(`/v1/partners/${p.id}/adjustments`)
        .send({ amount: -312, reason: 'goodwill reversal' })
        .expect(201);
    },
  };

  for (const [kind, record] of Object.entries(kinds)) {
    it(`can change before any money, and not after a first ${kind} (422 currency-locked, nothing changes)`, async () => {
      const app = await startTestApp();
      try {
        const programId = await createProgram(app, { default: { sale: [{ percent: '5' }] } });
        const p = await partner(app, programId);
        // No attempt, payment or adjustment yet: the currency is free.
        await app.admin().patch('/v1/settings').send({ currency: 'CAD' }).expect(200);
        await app.admin().patch('/v1/settings').send({ currency: 'USD' }).expect(200);

        await record(app, p);

        const refused = await app
          .admin()
          .patch('/v1/settings')
          .send({ currency: 'EUR', levels: 3 })
          .expect(422);
        expect(refused.headers['content-type']).toMatch(/problem\+json/);
        expect(refused.body).toMatchObject({ status: 422, code: 'currency-locked' });
        expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'currency' })]);
        const settings = await app.admin().get('/v1/settings').expect(200);
        expect(settings.body).toMatchObject({ currency: 'USD', levels: 2 });

        // Naming the current currency is no change, alone or with other fields.
        await app.admin().patch('/v1/settings').send({ currency: 'USD' }).expect(200);
        const other = await app
          .admin()
          .patch('/v1/settings')
          .send({ currency: 'USD', levels: 3 })
          .expect(200);
        expect(other.body).toMatchObject({ currency: 'USD', levels: 3 });
      } finally {
        await app.close();
      }
    });
  }

  it('makes a change racing the first attempt wait for it, then refuses it', async () => {
    const app = await startTestApp();
    const db = new Client({ connectionString: app.database.url });
    await db.connect();
    // The first attempt pauses after deciding, before its append, its transaction open.
    const pause = pauseNextDecision(app.app.get(EventWriter), 'PurchaseAttempted');
    try {
      const programId = await createProgram(app, { default: { sale: [{ percent: '5' }] } });
      const p = await partner(app, programId);
      const sale = app
        .admin()
        .post('/v1/events')
        .send({
          events: [
            {
              eventId: uniqueId('e'),
              ...attempt('2026-05-08T10:00:00Z', {
                attemptId: uniqueId('first'),
                contactId: uniqueId('c'),
                partnerCode: p.code,
                items: [{ productId: 'lamp', quantity: 1, unitPrice: 6300 }],
              }),
            },
          ],
        })
        .then((r) => r);
      await pause.decided;
      let answered = false;
      const change = app
        .admin()
        .patch('/v1/settings')
        .send({ currency: 'SEK' })
        .then((r) => {
          answered = true;
          return r;
        });
      // Until the change answers or waits for the lock the attempt holds (seen in pg_locks).
      for (;;) {
        const { rows } = await db.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database =
             (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        if (answered || rows.length > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      pause.release();
      expect((await sale).body.results[0].status).toBe('accepted');
      const refused = await change;
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('currency-locked');
      expect((await app.admin().get('/v1/settings').expect(200)).body.currency).toBe('USD');
    } finally {
      pause.restore();
      await db.end();
      await app.close();
    }
  });
});

describe('amounts cannot overflow', () => {
  it('refuses a line whose quantity x unitPrice is above 10^12 with 400 and its path, storing nothing', async () => {
    const p = await partner();
    const attemptId = uniqueId('big');
    const response = await t
      .admin()
      .post('/v1/events')
      .send({
        events: [
          {
            eventId: uniqueId('e'),
            ...attempt('2026-05-03T09:00:00Z', {
              attemptId,
              contactId: uniqueId('c'),
              partnerCode: p.code,
              items: [
                { productId: 'ok', quantity: 2, unitPrice: 500 },
                { productId: 'huge', quantity: 700_000, unitPrice: 3_000_000_000 },
              ],
            }),
          },
        ],
      })
      .expect(400);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: 'events[0].data.items[1].unitPrice' }),
    ]);
    await t.admin().get(`/v1/attempts/${attemptId}`).expect(404);
  });

  it('refuses an attempt whose total is above 10^12 with 400 on its items', async () => {
    const p = await partner();
    const response = await t
      .admin()
      .post('/v1/events')
      .send({
        events: [
          {
            eventId: uniqueId('e'),
            ...attempt('2026-05-03T09:00:00Z', {
              attemptId: uniqueId('big'),
              contactId: uniqueId('c'),
              partnerCode: p.code,
              items: [
                { productId: 'a', quantity: 1, unitPrice: 600_000_000_000 },
                { productId: 'b', quantity: 1, unitPrice: 400_000_000_001 },
              ],
            }),
          },
        ],
      })
      .expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'events[0].data.items' })]);
  });

  it('refuses a flat rate above 10^9 per unit in a program, with its path', async () => {
    const created = await t
      .admin()
      .post('/v1/programs')
      .send({ name: 'Too flat', products: { gold: { sale: [{ percent: '1' }, { flat: 1_000_000_001 }] } } })
      .expect(400);
    expect(created.body.errors).toEqual([expect.objectContaining({ path: 'products.gold.sale[1].flat' })]);
    const replaced = await t
      .admin()
      .put(`/v1/programs/${program}`)
      .send({ name: 'Program', default: { sale: [{ flat: Number.MAX_SAFE_INTEGER }] } })
      .expect(400);
    expect(replaced.body.errors).toEqual([expect.objectContaining({ path: 'default.sale[0].flat' })]);
  });

  it('computes the largest commission the limits allow exactly', async () => {
    const maxFlat = await createProgram(t, { default: { sale: [{ flat: 1_000_000_000, percent: '100' }] } });
    const p = await partner(t, maxFlat);
    const attemptId = uniqueId('max');
    await ingestAll(t, [
      attempt('2026-05-04T09:00:00Z', {
        attemptId,
        contactId: uniqueId('c'),
        partnerCode: p.code,
        items: [{ productId: 'bulk', quantity: 1_000_000, unitPrice: 1_000_000 }],
      }),
      collect('2026-05-04T09:00:01Z', attemptId),
    ]);
    const body = (await t.admin().get(`/v1/attempts/${attemptId}`).expect(200)).body;
    expect(body.total).toBe(1_000_000_000_000);
    // 10^9 x 10^6 flat + 100% of 10^12: 1.001 x 10^15, below Number.MAX_SAFE_INTEGER.
    expect(body.commissions).toEqual([expect.objectContaining({ amount: 1_001_000_000_000_000 })]);
  });

  it('refuses payment and adjustment amounts above 10^12 with their path', async () => {
    const p = await partner();
    const paid = await t
      .admin()
      .post(`/v1/partners/${p.id}/payments`)
      .send({ amount: 1_000_000_000_001, paymentType: 'wire' })
      .expect(400);
    expect(paid.body.errors).toEqual([expect.objectContaining({ path: 'amount' })]);
    const adjusted = await t
      .admin()
      .post(`/v1/partners/${p.id}/adjustments`)
      .send({ amount: -1_000_000_000_001, reason: 'too much' })
      .expect(400);
    expect(adjusted.body.errors).toEqual([expect.objectContaining({ path: 'amount' })]);
  });

  it('answers 422 for a collection a program stored before the limits cannot price, and still counts the rest of the batch', async () => {
    const legacy = await createProgram(t, { default: { sale: [{ flat: 40 }] } });
    // As stored by a version without the flat limit.
    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    try {
      await db.query(
        `UPDATE programs SET definition = jsonb_set(definition, '{default,sale,0,flat}', to_jsonb($2::bigint))
          WHERE program_id = $1`,
        [legacy, Number.MAX_SAFE_INTEGER],
      );
    } finally {
      await db.end();
    }
    const big = await partner(t, legacy);
    const fine = await partner();
    const [bigAttempt, fineAttempt] = [uniqueId('legacy'), uniqueId('fine')];
    const collectId = uniqueId('col');
    const results = await ingest(t, [
      attempt('2026-05-05T10:00:00Z', {
        attemptId: bigAttempt,
        contactId: uniqueId('c'),
        partnerCode: big.code,
        items: [{ productId: 'seat', quantity: 3, unitPrice: 2500 }],
      }),
      { eventId: collectId, ...collect('2026-05-05T10:00:01Z', bigAttempt) },
      attempt('2026-05-05T10:00:02Z', {
        attemptId: fineAttempt,
        contactId: uniqueId('c'),
        partnerCode: fine.code,
        items: [{ productId: 'seat', quantity: 1, unitPrice: 2500 }],
      }),
      collect('2026-05-05T10:00:03Z', fineAttempt),
    ]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted', 'accepted']);
    expect(results[1]!.error).toMatchObject({ status: 422, code: 'amount-out-of-range' });
    expect((await t.admin().get(`/v1/attempts/${bigAttempt}`).expect(200)).body.status).toBe('pending');

    // Not forever: once the program is fixed, the same envelope goes through.
    await t
      .admin()
      .put(`/v1/programs/${legacy}`)
      .send({ name: 'Program', default: { sale: [{ flat: 40 }] } })
      .expect(200);
    const [again] = await ingest(t, [{ eventId: collectId, ...collect('2026-05-05T10:00:01Z', bigAttempt) }]);
    expect(again!.status).toBe('accepted');
    const collected = (await t.admin().get(`/v1/attempts/${bigAttempt}`).expect(200)).body;
    expect(collected.commissions).toEqual([expect.objectContaining({ amount: 120 })]);
  });
});

describe('parallel payout batches', () => {
  it('12 at once with different ids on a pool of 3 connections each answer 201 or 409/422, never 500', async () => {
    const app = await startTestApp({ DATABASE_POOL_SIZE: '3' });
    try {
      const programId = await createProgram(app, { default: { sale: [{ flat: 55 }] } });
      const partners = [];
      for (let i = 0; i < 4; i++) partners.push(await partner(app, programId));
      for (const [i, p] of partners.entries()) {
        const attemptId = uniqueId('par');
        await ingestAll(app, [
          attempt('2026-06-03T10:00:00Z', {
            attemptId,
            contactId: uniqueId('c'),
            partnerCode: p.code,
            items: [{ productId: 'mug', quantity: i + 2, unitPrice: 900 }],
          }),
          collect('2026-06-03T10:00:01Z', attemptId),
        ]);
      }
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          app
            .admin()
            .post('/v1/payouts/batches')
            .send({
              batchId: `par-batch-${i}-${uniqueId('b')}`,
              method: 'due',
              payDate: '2026-07-15',
              paymentType: 'ach',
              paidAt: '2026-07-01T09:00:00Z',
            }),
        ),
      );
      const unexpected = responses.filter((r) => ![201, 409, 422].includes(r.status));
      expect(unexpected.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
      // Batches are made one at a time, each seeing the payments of the one before: every partner is
      // due once, so paid exactly once over the 12.
      const paid = responses.flatMap(
        (r) => (r.status === 201 ? r.body.payments : []) as { partnerId: string; amount: number }[],
      );
      expect(paid.map((x) => x.partnerId).sort()).toEqual(partners.map((p) => p.id).sort());
      expect(paid.reduce((sum, x) => sum + x.amount, 0)).toBe(55 * (2 + 3 + 4 + 5));
    } finally {
      await app.close();
    }
  });
});

describe('smaller contract gaps', () => {
  it('GET /v1/payouts/due accepts waitFor like every report', async () => {
    const p = await partner();
    const adjusted = await t
      .admin()
      .post(`/v1/partners/${p.id}/adjustments`)
      .send({ amount: 6400, reason: 'bonus', occurredAt: '2026-03-02T00:00:00Z' })
      .expect(201);
    const due = await t
      .admin()
      .get('/v1/payouts/due')
      .query({ payDate: '2026-04-15', waitFor: adjusted.body.position })
      .expect(200);
    expect(due.body.rows).toContainEqual(expect.objectContaining({ partnerId: p.id, due: 6400 }));
    const bad = await t
      .admin()
      .get('/v1/payouts/due')
      .query({ payDate: '2026-04-15', waitFor: 'soon' })
      .expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'waitFor' })]);
  });

  it('treats a payment or adjustment sent again without paidAt/occurredAt as the same one', async () => {
    const p = await partner();
    const payment = { id: uniqueId('pm'), amount: 1_234, paymentType: 'check', note: 'no date' };
    const first = await t.admin().post(`/v1/partners/${p.id}/payments`).send(payment).expect(201);
    await new Promise((r) => setTimeout(r, 20));
    const again = await t.admin().post(`/v1/partners/${p.id}/payments`).send(payment).expect(201);
    expect(again.body).toEqual(first.body);
    await t
      .admin()
      .post(`/v1/partners/${p.id}/payments`)
      .send({ ...payment, amount: 1_235 })
      .expect(409);

    const adjustment = { id: uniqueId('adj'), amount: -88, reason: 'fee' };
    const one = await t.admin().post(`/v1/partners/${p.id}/adjustments`).send(adjustment).expect(201);
    await new Promise((r) => setTimeout(r, 20));
    const two = await t.admin().post(`/v1/partners/${p.id}/adjustments`).send(adjustment).expect(201);
    expect(two.body).toEqual(one.body);
    await t
      .admin()
      .post(`/v1/partners/${p.id}/adjustments`)
      .send({ ...adjustment, reason: 'other fee' })
      .expect(409);

    const waitFor = await headPosition();
    const ledger = await t
      .admin()
      .get(`/v1/partners/${p.id}/ledger`)
      .query({ from: '2000-01-01', to: '2100-01-01', waitFor })
      .expect(200);
    expect(ledger.body.entries.map((e: { type: string }) => e.type).sort()).toEqual([
      'adjustment',
      'payment',
    ]);
  });

  it("answers a duplicate collection with the position of the envelope's own event", async () => {
    const p = await partner();
    const attemptId = uniqueId('dup');
    const envelopes = [
      {
        eventId: uniqueId('att'),
        ...attempt('2026-05-06T10:00:00Z', {
          attemptId,
          contactId: uniqueId('c'),
          partnerCode: p.code,
          items: [{ productId: 'cap', quantity: 2, unitPrice: 1800 }],
        }),
      },
      { eventId: uniqueId('col'), ...collect('2026-05-06T10:00:05Z', attemptId) },
    ];
    await ingestAll(t, envelopes);
    const again = await ingest(t, envelopes);
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    const { events } = await readLog();
    const positionOf = (eventId: string) => events.find((e) => e.eventId === eventId)?.position;
    expect(again.map((r) => r.position)).toEqual(envelopes.map((e) => positionOf(e.eventId)));
  });

  it("answers a collection committed meanwhile by a concurrent delivery with its own event's position", async () => {
    const p = await partner();
    const attemptId = uniqueId('race');
    await ingestAll(t, [
      attempt('2026-05-06T11:00:00Z', {
        attemptId,
        contactId: uniqueId('c'),
        partnerCode: p.code,
        items: [
          { productId: 'cap', quantity: 1, unitPrice: 2600 },
          { productId: 'hat', quantity: 2, unitPrice: 1900 },
        ],
      }),
    ]);
    const envelope = { eventId: uniqueId('col'), ...collect('2026-05-06T11:00:09Z', attemptId) };
    // The first delivery pauses after deciding, before its append; a second one commits meanwhile.
    const pause = pauseNextDecision(t.app.get(EventWriter), 'PaymentCollected');
    try {
      const late = t
        .admin()
        .post('/v1/events')
        .send({ events: [envelope] })
        .then((r) => r);
      await pause.decided;
      const [early] = await ingest(t, [envelope]);
      pause.release();
      const [duplicate] = (await late).body.results as { status: string; position: string }[];
      expect(early!.status).toBe('accepted');
      expect(duplicate).toMatchObject({ status: 'duplicate' });
      const own = (await readLog()).events.find((e) => e.eventId === envelope.eventId);
      expect(duplicate!.position).toBe(own!.position);
    } finally {
      pause.restore();
    }
  });

  it('answers an attemptId reused with other content with 409 attempt-exists', async () => {
    const p = await partner();
    const attemptId = uniqueId('twice');
    const data = {
      attemptId,
      contactId: uniqueId('c'),
      partnerCode: p.code,
      items: [{ productId: 'pen', quantity: 4, unitPrice: 350 }],
    };
    await ingestAll(t, [attempt('2026-05-07T10:00:00Z', data)]);
    const [result] = await ingest(t, [
      attempt('2026-05-07T10:00:00Z', {
        ...data,
        items: [{ productId: 'pen', quantity: 5, unitPrice: 350 }],
      }),
    ]);
    expect(result).toMatchObject({ status: 'rejected', error: { status: 409, code: 'attempt-exists' } });
  });

  it('neutralises CSV cells that start with =, +, - or @ and keeps negative amounts numbers', async () => {
    const p = await partner(t, program, `-neg${uniqueId('x')}`);
    await t
      .admin()
      .post(`/v1/partners/${p.id}/adjustments`)
      .send({ amount: -4_321, reason: 'chargeback', occurredAt: '2030-02-03T00:00:00Z' })
      .expect(201);
    const waitFor = await headPosition();
    const ledger = await t
      .admin()
      .get('/v1/reports/ledger')
      .query({ from: '2030-02-01', to: '2030-02-28', partnerId: p.id, waitFor, format: 'csv' })
      .expect(200);
    expect(ledger.text.trim().split('\r\n')[1]).toBe(`'${p.id},${p.code},0,0,0,-4321,0,-4321`);

    const other = await partner();
    await t
      .admin()
      .post(`/v1/partners/${other.id}/adjustments`)
      .send({ amount: 900, reason: 'bonus', occurredAt: '2030-03-03T00:00:00Z' })
      .expect(201);
    const batch = await t
      .admin()
      .post('/v1/payouts/batches')
      .send({
        batchId: uniqueId('csv'),
        method: 'earned-in-range',
        from: '2030-03-01',
        to: '2030-03-31',
        partnerIds: [other.id, p.id],
        paymentType: '=HYPERLINK("https://evil.example","x")',
        paidAt: '2030-04-01T00:00:00Z',
      })
      .expect(201);
    const csv = await t
      .admin()
      .get(`/v1/payouts/batches/${batch.body.batchId}`)
      .query({ format: 'csv' })
      .expect(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[1]).toBe(
      `${batch.body.batchId},${other.id},${batch.body.batchId}:${other.id},900,USD,` +
        `"'=HYPERLINK(""https://evil.example"",""x"")",2030-04-01T00:00:00.000Z,paid,`,
    );
    expect(lines[2]).toMatch(new RegExp(`^${batch.body.batchId},'${p.id},,0,USD,`));
    for (const line of lines) expect(line.split(',').some((cell) => /^[=+@]/.test(cell))).toBe(false);
  });

  it('answers 404 for an unknown partner on the audit ledger', async () => {
    const response = await t.admin().get('/v1/audit/partners/nobody-here/ledger').expect(404);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    const known = await partner();
    await t.admin().get(`/v1/audit/partners/${known.id}/ledger`).expect(200);
  });
});
