import { Client } from 'pg';
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

let t: TestApp;
let db: Client;

beforeAll(async () => {
  t = await startTestApp();
  db = new Client({ connectionString: t.database.url });
  await db.connect();
});

afterAll(async () => {
  await db.end();
  await t.close();
});

interface AuditEvent {
  position: string;
  eventId: string;
  type: string;
  streamId: string;
  metadata: { actor?: string };
}

/** "812-4711" as a comparable pair. */
const positionKey = (position: string) => position.split('-').map((n) => BigInt(n)) as [bigint, bigint];
const reached = (next: string, target: string) => {
  const [a, b] = [positionKey(next), positionKey(target)];
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);
};

/**
 * Reads the log from the start until it includes `until` (a write's position). An empty page alone
 * does not mean the end: a committed event stays unreadable while an older transaction is open.
 */
async function readWholeLog(limit = 7, until?: string): Promise<AuditEvent[]> {
  const seen: AuditEvent[] = [];
  let after: string | undefined;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await t
      .admin()
      .get('/v1/audit/events')
      .query({ limit, ...(after ? { after } : {}) })
      .expect(200);
    seen.push(...(response.body.events as AuditEvent[]));
    after = response.body.next as string;
    if (response.body.events.length === 0) {
      if (!until || reached(after, until) || Date.now() > deadline) return seen;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

async function waitForChain(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await db.query<{ missing: string }>(
      'SELECT count(*) AS missing FROM events e LEFT JOIN event_hashes h USING (global_position) WHERE h.global_position IS NULL',
    );
    if (Number(rows[0]?.missing) === 0) return;
    if (Date.now() > deadline) throw new Error('the audit chain did not catch up');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the audit log', () => {
  it('gives a reader that follows `next` every event exactly once while writers go on', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const partner = await createPartner(t, { programIds: [program] });
    const link = await createLink(t);
    // Every event committed so far (the log API may not show the newest ones yet: see readWholeLog).
    const before = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]?.n);

    let writing = true;
    const written: string[] = [];
    const writers = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 10; i++) {
        const events = Array.from({ length: 5 }, () => ({
          eventId: uniqueId('evt'),
          ...click('2026-01-01T00:00:00Z', { partnerId: partner, linkId: link.id, visitorId: uniqueId('v') }),
        }));
        await t.admin().post('/v1/events').send({ events }).expect(200);
        written.push(...events.map((e) => e.eventId));
      }
    });
    const deadline = Date.now() + 20_000;
    const reader = (async () => {
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const stillWriting = writing;
        const response = await t
          .admin()
          .get('/v1/audit/events')
          .query({ limit: 13, ...(after ? { after } : {}) })
          .expect(200);
        seen.push(...(response.body.events as AuditEvent[]).map((e) => e.eventId));
        after = response.body.next as string;
        // An empty page only means "nothing readable yet": a committed event stays invisible while an
        // older transaction (e.g. a projection's) is still open, so wait until every write shows up.
        const all = new Set(seen);
        if (!stillWriting && written.every((id) => all.has(id))) return seen;
        if (Date.now() > deadline) return seen;
        if (response.body.events.length === 0) await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await Promise.all(writers);
    writing = false;
    const seen = await reader;
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(before + written.length);
    expect(seen).toEqual(expect.arrayContaining(written));
  });

  it('records who caused each event', async () => {
    const key = (
      await t.admin().post('/v1/api-keys').send({ name: 'checkout-service', role: 'ingest' }).expect(201)
    ).body.key as string;
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const partner = await createPartner(t, { programIds: [program] });
    const link = await createLink(t);
    const eventId = uniqueId('evt');
    const written = await t
      .as(key)
      .post('/v1/events')
      .send({
        events: [
          {
            eventId,
            ...click('2026-01-01T00:00:00Z', { partnerId: partner, linkId: link.id, visitorId: 'v' }),
          },
        ],
      })
      .expect(200);
    const log = await readWholeLog(1000, written.body.position as string);
    expect(log.find((e) => e.eventId === eventId)?.metadata.actor).toBe('key:checkout-service');
    expect(log.find((e) => e.type === 'PartnerEnrolled')?.metadata.actor).toBe('key:bootstrap-admin');
  });

  it('answers 400 for a malformed position or limit, and 401/403 without the auditor role', async () => {
    await t.admin().get('/v1/audit/events?after=zzz').expect(400);
    await t.admin().get('/v1/audit/events?limit=0').expect(400);
    await t.admin().get('/v1/audit/events?limit=1001').expect(400);
    await t.http().get('/v1/audit/events').expect(401);
    const ingestKey = (await t.admin().post('/v1/api-keys').send({ name: 'svc', role: 'ingest' }).expect(201))
      .body.key as string;
    await t.as(ingestKey).get('/v1/audit/events').expect(403);
    const auditorKey = (
      await t.admin().post('/v1/api-keys').send({ name: 'auditor', role: 'auditor' }).expect(201)
    ).body.key as string;
    await t.as(auditorKey).get('/v1/audit/events').expect(200);
  });
});

describe('the ledger as of a moment', () => {
  it('recomputes a partner ledger from the log recorded up to asOf', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const partner = await createPartner(t, { programIds: [program] });
    const first = uniqueId('att');
    const second = uniqueId('att');
    await ingestAll(t, [
      attempt('2026-01-10T10:00:00Z', {
        attemptId: first,
        contactId: uniqueId('c'),
        partnerCode: await codeOf(partner),
        items: [{ productId: 'a', quantity: 1, unitPrice: 10000 }],
      }),
      collect('2026-01-10T10:00:01Z', first),
    ]);
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await ingestAll(t, [
      attempt('2026-01-12T10:00:00Z', {
        attemptId: second,
        contactId: uniqueId('c'),
        partnerCode: await codeOf(partner),
        items: [{ productId: 'a', quantity: 1, unitPrice: 5000 }],
      }),
      collect('2026-01-12T10:00:01Z', second),
      refund('2026-01-13T10:00:00Z', first, 5000),
    ]);
    const then = await t
      .admin()
      .get(`/v1/audit/partners/${partner}/ledger`)
      .query({ asOf: between })
      .expect(200);
    expect(then.body).toMatchObject({ partnerId: partner, beginningBalance: 0, endingBalance: 1000 });
    expect(then.body.entries.map((e: { type: string; amount: number }) => [e.type, e.amount])).toEqual([
      ['commission', 1000],
    ]);

    const now = await t
      .admin()
      .get(`/v1/audit/partners/${partner}/ledger`)
      .query({ from: '2026-01-11', to: '2026-01-31' })
      .expect(200);
    expect(now.body).toMatchObject({ beginningBalance: 1000, endingBalance: 1000 });
    expect(
      now.body.entries.map((e: { type: string; amount: number; balance: number }) => [
        e.type,
        e.amount,
        e.balance,
      ]),
    ).toEqual([
      ['commission', 500, 1500],
      ['clawback', -500, 1000],
    ]);
  });
});

describe('verification and tamper evidence', () => {
  it('replays the log into every read model and reports a corrupted row', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const partner = await createPartner(t, { programIds: [program] });
    const id = uniqueId('att');
    const results = await ingestAll(t, [
      attempt('2026-02-01T10:00:00Z', {
        attemptId: id,
        contactId: uniqueId('c'),
        partnerCode: await codeOf(partner),
        items: [{ productId: 'corrupt-me', quantity: 2, unitPrice: 4000 }],
      }),
      collect('2026-02-01T10:00:01Z', id),
      refund('2026-02-02T10:00:00Z', id, 1000),
    ]);
    await t
      .admin()
      .get('/v1/reports/ledger')
      .query({ from: '2026-02-01', to: '2026-02-28', waitFor: results[2]!.position })
      .expect(200);
    const clean = await t.admin().get('/v1/audit/verify').expect(200);
    expect(clean.body.differences).toEqual([]);
    expect(clean.body.consistent).toBe(true);

    await db.query(
      `UPDATE ledger_entries SET amount_minor = amount_minor + 1 WHERE partner_id = $1 AND entry_type = 'commission'`,
      [partner],
    );
    await db.query(`UPDATE products_sold_daily SET sold = sold + 5 WHERE product_id = 'corrupt-me'`);
    const broken = await t.admin().get('/v1/audit/verify').expect(200);
    expect(broken.body.consistent).toBe(false);
    const models = (broken.body.differences as { readModel: string; key: string }[]).map((d) => d.readModel);
    expect(models).toEqual(
      expect.arrayContaining(['ledger:ledger_entries', 'products-sold:products_sold_daily']),
    );
    expect(broken.body.differences).toContainEqual(
      expect.objectContaining({
        readModel: 'products-sold:products_sold_daily',
        key: expect.stringContaining('corrupt-me'),
      }),
    );

    // A rebuild repairs the read models from the log.
    await db.query(`UPDATE products_sold_daily SET sold = sold - 5 WHERE product_id = 'corrupt-me'`);
    await t.admin().post('/v1/admin/projections/ledger/rebuild').expect(202);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await t.admin().get('/v1/admin/projections').expect(200);
      if (
        (states.body as { name: string; status: string }[]).find((s) => s.name === 'ledger')?.status ===
        'running'
      )
        break;
      if (Date.now() > deadline) throw new Error('rebuild did not finish');
      await new Promise((r) => setTimeout(r, 50));
    }
    const repaired = await t.admin().get('/v1/audit/verify').expect(200);
    expect(repaired.body.differences).toEqual([]);
  });

  it('is consistent on an untouched log, and names an event whose row was edited', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const partner = await createPartner(t, { programIds: [program] });
    const id = uniqueId('att');
    await ingestAll(t, [
      attempt('2026-02-10T10:00:00Z', {
        attemptId: id,
        contactId: uniqueId('c'),
        partnerCode: await codeOf(partner),
        items: [{ productId: 'a', quantity: 1, unitPrice: 10000 }],
      }),
      collect('2026-02-10T10:00:01Z', id),
    ]);
    await waitForChain();
    const clean = await t.admin().get('/v1/audit/verify').expect(200);
    expect(clean.body).toMatchObject({ consistent: true, differences: [] });
    expect(clean.body.checkedEvents).toBeGreaterThan(0);

    const { rows } = await db.query<{ event_id: string }>(
      `UPDATE events SET data = jsonb_set(data, '{amountMinor}', '999999') WHERE type = 'CommissionEarned' AND data->>'attemptId' = $1 RETURNING event_id`,
      [id],
    );
    const tampered = rows[0]!.event_id;
    const broken = await t.admin().get('/v1/audit/verify').expect(200);
    expect(broken.body.consistent).toBe(false);
    expect(broken.body.differences).toContainEqual(
      expect.objectContaining({ readModel: 'event-log', key: tampered }),
    );
  });

  it('refuses to rebuild the hash chain', async () => {
    await t.admin().post('/v1/admin/projections/audit-chain/rebuild').expect(409);
  });
});

async function codeOf(partnerId: string): Promise<string> {
  return (await t.admin().get(`/v1/partners/${partnerId}`).expect(200)).body.code as string;
}
