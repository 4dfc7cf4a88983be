/**
 * Verify with a tiny transaction budget (PROJECTION_TRANSACTION_MS=1): every projection, live and in
 * verify's replay, applies its pages an event or two per transaction, and verify still finds the read
 * models equal to the log, then names a planted difference. (That the replay does run in several
 * transactions is shown by libs/core/src/audit/read-model-verifier.int-spec.ts.)
 */
import { Client } from 'pg';
import { startTestApp, type TestApp } from './support/test-app';
import {
  attempt,
  click,
  collect,
  createLink,
  createProgram,
  ingestAll,
  optIn,
  refund,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let db: Client;

beforeAll(async () => {
  t = await startTestApp({ PROJECTION_TRANSACTION_MS: '1' });
  db = new Client({ connectionString: t.database.url });
  await db.connect();
});

afterAll(async () => {
  await db.end();
  await t.close();
});

async function enroll(
  program: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; code: string }> {
  const code = `v${uniqueId('p').replace(/-/g, '')}`;
  const response = await t
    .admin()
    .post('/v1/partners')
    .send({
      code,
      name: `Partner ${code}`,
      email: `${code.toLowerCase()}@partners.example.com`,
      programIds: [program],
      notifyOnLead: true,
      notifyOnSale: true,
      ...body,
    })
    .expect(201);
  return { id: response.body.id as string, code };
}

async function caughtUp(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const states = (await t.admin().get('/v1/admin/projections').expect(200)).body as {
      lag: number;
      status: string;
    }[];
    if (states.every((s) => s.lag === 0 && s.status === 'running')) return;
    if (Date.now() > deadline) throw new Error('the projections did not catch up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('verify under a tiny transaction budget', () => {
  it('finds every read model equal to the log, then names a planted difference', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }, { percent: '3' }] } });
    const link = await createLink(t);
    const parent = await enroll(program);
    const amy = await enroll(program, { parentId: parent.id });
    const envelopes = [];
    for (let i = 0; i < 6; i++) {
      const visitorId = uniqueId('v');
      const contactId = uniqueId('c');
      const attemptId = uniqueId('att');
      envelopes.push(
        click(`2026-04-0${i + 1}T09:00:00Z`, { partnerId: amy.id, linkId: link.id, visitorId }),
        optIn(`2026-04-0${i + 1}T09:05:00Z`, { contactId, visitorId }),
        attempt(`2026-04-0${i + 1}T09:10:00Z`, {
          attemptId,
          contactId,
          visitorId,
          items: [{ productId: 'budget-product', quantity: 1, unitPrice: 9700 }],
        }),
        collect(`2026-04-0${i + 1}T09:10:05Z`, attemptId),
      );
      if (i % 2 === 0) envelopes.push(refund(`2026-04-0${i + 1}T12:00:00Z`, attemptId, 1000));
    }
    await ingestAll(t, envelopes);
    await caughtUp();
    const { rows } = await db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM notifications WHERE partner_id = ANY($1)',
      [[amy.id, parent.id]],
    );
    // The leads (amy) and the sales (amy and her parent): the projection ran under the same budget.
    expect(Number(rows[0]?.n)).toBe(18);

    const clean = await t.admin().get('/v1/audit/verify').expect(200);
    expect(clean.body).toMatchObject({ consistent: true, differences: [] });

    await db.query(`UPDATE notify_partners SET name = 'Someone else' WHERE partner_id = $1`, [amy.id]);
    await db.query(`UPDATE products_sold_daily SET sold = sold + 5 WHERE product_id = 'budget-product'`);
    try {
      const broken = await t.admin().get('/v1/audit/verify').expect(200);
      expect(broken.body.consistent).toBe(false);
      expect(broken.body.differences).toContainEqual(
        expect.objectContaining({ readModel: 'partner-notifications:notify_partners', key: amy.id }),
      );
      expect(broken.body.differences).toContainEqual(
        expect.objectContaining({
          readModel: 'products-sold:products_sold_daily',
          key: expect.stringContaining('budget-product'),
        }),
      );
    } finally {
      await db.query(`UPDATE notify_partners SET name = $2 WHERE partner_id = $1`, [
        amy.id,
        `Partner ${amy.code}`,
      ]);
      await db.query(`UPDATE products_sold_daily SET sold = sold - 5 WHERE product_id = 'budget-product'`);
    }
    const repaired = await t.admin().get('/v1/audit/verify').expect(200);
    expect(repaired.body).toMatchObject({ consistent: true, differences: [] });
  });
});
