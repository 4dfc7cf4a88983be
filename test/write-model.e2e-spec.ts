/**
 * The write model is a projection of the log (issue 14): applied inline by ingest and the commands,
 * listed with the read models, checked by the audit, and a rebuild from the log gives the very same
 * tables as the live ones.
 */
import { Client } from 'pg';
import { startTestApp, type TestApp } from './support/test-app';
import { writeModelSnapshot } from './support/write-model-tables';
import {
  attempt,
  click,
  collect,
  createLink,
  createPartner,
  createProgram,
  decline,
  ingestAll,
  optIn,
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

async function rebuild(): Promise<void> {
  await t.admin().post('/v1/admin/projections/write-model/rebuild').expect(202);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const states = await t.admin().get('/v1/admin/projections').expect(200);
    const state = (states.body as { name: string; status: string }[]).find((s) => s.name === 'write-model');
    if (state?.status === 'running') return;
    if (Date.now() > deadline) throw new Error(`rebuild did not finish: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Traffic of every kind: clicks (one naming its contact), opt-ins, orders, a subscription and its renewals. */
async function traffic(): Promise<void> {
  const program = await createProgram(t, { default: { sale: [{ percent: '10' }, { percent: '5' }] } });
  const parent = await createPartner(t, { programIds: [program] });
  const code = uniqueId('wm').replace(/-/g, '_');
  const partner = await createPartner(t, { code, parentId: parent, programIds: [program] });
  const link = await createLink(t);
  const [visitor, buyer, subscriber] = [uniqueId('v'), uniqueId('c'), uniqueId('c')];
  const [order, declined, subscription, renewal] = [
    uniqueId('a'),
    uniqueId('a'),
    uniqueId('a'),
    uniqueId('a'),
  ];
  const subscriptionId = uniqueId('sub');
  const items = [{ productId: 'kit', quantity: 2, unitPrice: 4500 }];
  // One request: a later envelope decides on what the earlier ones decided.
  await ingestAll(t, [
    click('2026-06-01T10:00:00Z', {
      partnerId: partner,
      linkId: link.id,
      visitorId: visitor,
      ip: '203.0.113.9',
    }),
    click('2026-06-01T10:01:00Z', { partnerCode: code, linkCode: link.code, visitorId: uniqueId('v') }),
    optIn('2026-06-01T10:02:00Z', { contactId: buyer, visitorId: visitor }),
    click('2026-06-01T10:03:00Z', { partnerId: partner, linkId: link.id, visitorId: visitor }),
    attempt('2026-06-01T10:04:00Z', { attemptId: order, contactId: buyer, visitorId: visitor, items }),
    collect('2026-06-01T10:05:00Z', order),
    refund('2026-06-02T10:00:00Z', order, 3000),
    attempt('2026-06-01T10:06:00Z', { attemptId: declined, contactId: buyer, items }),
    decline('2026-06-01T10:07:00Z', declined),
    attempt('2026-06-01T11:00:00Z', {
      attemptId: subscription,
      contactId: subscriber,
      kind: 'subscription',
      subscriptionId,
      partnerCode: code,
      items,
    }),
    collect('2026-06-01T11:01:00Z', subscription),
  ]);
  // Later requests: a renewal and another refund of the order.
  await ingestAll(t, [
    attempt('2026-07-01T11:00:00Z', {
      attemptId: renewal,
      contactId: subscriber,
      kind: 'renewal',
      subscriptionId,
      items,
    }),
    collect('2026-07-01T11:01:00Z', renewal),
  ]);
  await ingestAll(t, [
    refund('2026-06-03T10:00:00Z', order, 2000),
    click('2026-06-04T10:00:00Z', {
      partnerId: partner,
      linkId: link.id,
      visitorId: uniqueId('v'),
      contactId: buyer,
    }),
  ]);
}

describe('the write model', () => {
  it('is listed with the read models, and a rebuild from the log equals the live tables', async () => {
    await traffic();
    const states = await t.admin().get('/v1/admin/projections').expect(200);
    expect((states.body as { name: string }[]).map((s) => s.name)).toContain('write-model');
    const live = await writeModelSnapshot(db);
    expect(live['clicks']!.length).toBeGreaterThanOrEqual(4);
    expect(live['commissions']!.length).toBeGreaterThan(0);
    expect(live['subscriptions']).toHaveLength(1);
    await rebuild();
    expect(await writeModelSnapshot(db)).toEqual(live);
  });

  it('is checked by the audit, and repaired by a rebuild', async () => {
    await traffic();
    const live = await writeModelSnapshot(db);
    const clean = await t.admin().get('/v1/audit/verify').expect(200);
    expect(clean.body.differences).toEqual([]);
    expect(clean.body.consistent).toBe(true);

    // A row that the log does not explain: the audit names it, a rebuild puts the log's back.
    await db.query(`UPDATE attempts SET refunded_minor = refunded_minor + 1 WHERE refunded_minor > 0`);
    const broken = await t.admin().get('/v1/audit/verify').expect(200);
    expect(broken.body.consistent).toBe(false);
    expect((broken.body.differences as { readModel: string }[]).map((d) => d.readModel)).toContain(
      'write-model:attempts',
    );
    await rebuild();
    expect(await writeModelSnapshot(db)).toEqual(live);
    const repaired = await t.admin().get('/v1/audit/verify').expect(200);
    expect(repaired.body.differences).toEqual([]);
  });

  it('keeps deciding during a rebuild: ingest waits for it, then decides on the rebuilt tables', async () => {
    await traffic();
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const partner = await createPartner(t, { programIds: [program] });
    const id = uniqueId('a');
    const items = [{ productId: 'kit', quantity: 1, unitPrice: 1000 }];
    const [rebuilt, written] = await Promise.all([
      rebuild(),
      (async () => {
        await new Promise((r) => setTimeout(r, 10));
        const link = await createLink(t);
        const visitor = uniqueId('v');
        return ingestAll(t, [
          click('2026-08-01T10:00:00Z', { partnerId: partner, linkId: link.id, visitorId: visitor }),
          attempt('2026-08-01T10:01:00Z', {
            attemptId: id,
            contactId: uniqueId('c'),
            visitorId: visitor,
            items,
          }),
          collect('2026-08-01T10:02:00Z', id),
        ]);
      })(),
    ]);
    void rebuilt;
    expect(written.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const { rows } = await db.query(
      'SELECT partner_id, amount_minor FROM commissions WHERE attempt_id = $1',
      [id],
    );
    expect(rows).toEqual([{ partner_id: partner, amount_minor: '100' }]);
    const live = await writeModelSnapshot(db);
    await rebuild();
    expect(await writeModelSnapshot(db)).toEqual(live);
  });
});
