/**
 * A rebuild of the write model goes in many short transactions (shadow tables filled a page at a
 * time, then swapped in), so ingest keeps committing meanwhile, on the live tables, and none of its
 * decisions is lost or taken on a half-built model (issue 15).
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
  ingestAll,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let db: Client;

const ITEMS = [{ productId: 'kit', quantity: 1, unitPrice: 1000 }];

beforeAll(async () => {
  // Pages of 3 events: a rebuild of a few hundred events takes a hundred transactions or more.
  t = await startTestApp({ REBUILD_BATCH_SIZE: '3' });
  db = new Client({ connectionString: t.database.url });
  await db.connect();
});

afterAll(async () => {
  await db.end();
  await t.close();
});

/** Null once no rebuild is under way. */
async function rebuildPosition(): Promise<string | null> {
  const { rows } = await db.query<{ position: string | null }>(
    `SELECT CASE WHEN rebuild_requested_at IS NULL THEN NULL
                 ELSE coalesce(rebuild_transaction_id::text || '-' || rebuild_global_position::text, 'not started')
            END AS position
       FROM projection_checkpoints WHERE name = 'write-model'`,
  );
  return rows[0]?.position ?? null;
}

async function status(): Promise<string | undefined> {
  const states = await t.admin().get('/v1/admin/projections').expect(200);
  return (states.body as { name: string; status: string }[]).find((s) => s.name === 'write-model')?.status;
}

/** One sale through a partner's link: its click, the attempt and its collection. */
async function sale(partner: string, linkId: string): Promise<{ attemptId: string; statuses: string[] }> {
  const visitor = uniqueId('v');
  const attemptId = uniqueId('a');
  const results = await ingestAll(t, [
    click('2026-08-01T10:00:00Z', { partnerId: partner, linkId, visitorId: visitor }),
    attempt('2026-08-01T10:01:00Z', {
      attemptId,
      contactId: uniqueId('c'),
      visitorId: visitor,
      items: ITEMS,
    }),
    collect('2026-08-01T10:02:00Z', attemptId),
  ]);
  return { attemptId, statuses: results.map((r) => r.status) };
}

describe('a rebuild of the write model', () => {
  it('commits in many short transactions while ingest keeps deciding on the live tables', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const partner = await createPartner(t, { programIds: [program] });
    const link = await createLink(t);
    for (let i = 0; i < 60; i++) await sale(partner, link.id);

    await t.admin().post('/v1/admin/projections/write-model/rebuild').expect(202);
    // The rebuild's position, as each of its transactions stores it.
    const positions = new Set<string>();
    const sales: { attemptId: string; statuses: string[]; duringRebuild: boolean }[] = [];
    const statuses = new Set<string | undefined>();
    let rebuilding = true;
    const watch = (async () => {
      while (rebuilding) {
        const position = await rebuildPosition();
        if (position === null) rebuilding = false;
        else if (position !== 'not started') positions.add(position);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const traffic = (async () => {
      // Ingest meanwhile, one request after another, until the rebuild is over (or 60 requests).
      for (let i = 0; i < 60 && rebuilding; i++) {
        const done = await sale(partner, link.id);
        sales.push({ ...done, duringRebuild: (await rebuildPosition()) !== null });
        statuses.add(await status());
      }
    })();
    await Promise.all([watch, traffic]);
    const deadline = Date.now() + 30_000;
    while ((await status()) !== 'running') {
      if (Date.now() > deadline) throw new Error('the rebuild did not finish');
      await new Promise((r) => setTimeout(r, 20));
    }

    // Several transactions committed a rebuild position; ingest committed between them.
    expect(positions.size).toBeGreaterThanOrEqual(5);
    expect(sales.filter((s) => s.duringRebuild).length).toBeGreaterThanOrEqual(1);
    expect(statuses).toContain('rebuilding');
    // Every request during the rebuild was accepted and decided: the partner earns 10% of each sale.
    for (const s of sales) expect(s.statuses).toEqual(['accepted', 'accepted', 'accepted']);
    const { rows } = await db.query<{ attempt_id: string; partner_id: string; amount_minor: string }>(
      'SELECT attempt_id, partner_id, amount_minor FROM commissions WHERE attempt_id = ANY($1) ORDER BY attempt_id',
      [sales.map((s) => s.attemptId)],
    );
    expect(rows).toEqual(
      sales
        .map((s) => ({ attempt_id: s.attemptId, partner_id: partner, amount_minor: '100' }))
        .sort((a, b) => (a.attempt_id < b.attempt_id ? -1 : 1)),
    );

    // The swapped-in tables are the log's: the audit finds no difference, another rebuild no change.
    const verified = await t.admin().get('/v1/audit/verify').expect(200);
    expect(verified.body.differences).toEqual([]);
    const live = await writeModelSnapshot(db);
    await t.admin().post('/v1/admin/projections/write-model/rebuild').expect(202);
    while ((await status()) !== 'running') await new Promise((r) => setTimeout(r, 20));
    expect(await writeModelSnapshot(db)).toEqual(live);

    // The references to its tables were made again: the credentials still point at partners, and
    // the rows already there are checked (just after the swap).
    const reference = async () =>
      (
        await db.query<{ target: string; deferrable: boolean; validated: boolean }>(
          `SELECT confrelid::regclass::text AS target, condeferrable AS deferrable, convalidated AS validated
             FROM pg_constraint WHERE conname = 'partner_credentials_partner_id_fkey'`,
        )
      ).rows;
    for (let i = 0; i < 100 && !(await reference())[0]?.validated; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await reference()).toEqual([{ target: 'partners', deferrable: true, validated: true }]);
    await expect(
      db.query(`INSERT INTO partner_credentials (partner_id, password_hash) VALUES ('no-such-partner', 'x')`),
    ).rejects.toThrow(/foreign key/);
  });
});
