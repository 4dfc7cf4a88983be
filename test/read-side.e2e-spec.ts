/**
 * The read side computed from rollups (issue 15): a late (back-dated) fact lands in the right place of
 * the running balance without touching later entries, and distinct visitors stay exact over whole
 * months and years, short ranges and long unaligned ones.
 */
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
let program: string;

beforeAll(async () => {
  t = await startTestApp();
  // 10% of every sale.
  program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
});

afterAll(async () => {
  await t.close();
});

async function enroll(prefix: string): Promise<{ id: string; code: string }> {
  const code = `${prefix}${uniqueId('x').replace(/-/g, '')}`;
  return { id: await createPartner(t, { id: code.toLowerCase(), code, programIds: [program] }), code };
}

function sale(partnerCode: string, attemptId: string, at: string, unitPrice: number) {
  return [
    attempt(at, {
      attemptId,
      contactId: uniqueId('c'),
      partnerCode,
      items: [{ productId: 'lamp', quantity: 1, unitPrice }],
    }),
    collect(at, attemptId),
  ];
}

describe('a late (back-dated) fact', () => {
  it('lands in the right place of the running balance and of every later beginning balance', async () => {
    const gia = await enroll('Gia');
    const [a, b, c, late] = [uniqueId('att'), uniqueId('att'), uniqueId('att'), uniqueId('att')];
    await ingestAll(t, [
      ...sale(gia.code, a, '2025-03-10T12:00:00Z', 10_000),
      ...sale(gia.code, b, '2025-03-20T12:00:00Z', 20_000),
      ...sale(gia.code, c, '2025-03-30T12:00:00Z', 30_000),
    ]);
    // Recorded after the three, dated before them: a sale on March 5, a refund of half of a on March 25.
    const results = await ingestAll(t, [
      ...sale(gia.code, late, '2025-03-05T08:00:00Z', 5_000),
      refund('2025-03-25T09:00:00Z', a, 5_000),
    ]);
    const waitFor = results[results.length - 1]!.position;

    const ledger = await t
      .admin()
      .get(`/v1/partners/${gia.id}/ledger`)
      .query({ from: '2025-03-01', to: '2025-03-31', waitFor })
      .expect(200);
    expect(
      (ledger.body.entries as { occurredAt: string; type: string; amount: number; balance: number }[]).map(
        (e) => [e.occurredAt.slice(0, 10), e.type, e.amount, e.balance],
      ),
    ).toEqual([
      ['2025-03-05', 'commission', 500, 500],
      ['2025-03-10', 'commission', 1_000, 1_500],
      ['2025-03-20', 'commission', 2_000, 3_500],
      ['2025-03-25', 'clawback', -500, 3_000],
      ['2025-03-30', 'commission', 3_000, 6_000],
    ]);

    // A range that starts later carries the late entries in its beginning balance.
    const later = await t
      .admin()
      .get(`/v1/partners/${gia.id}/ledger`)
      .query({ from: '2025-03-21', to: '2025-04-30' })
      .expect(200);
    expect(later.body).toMatchObject({ beginningBalance: 3_500, endingBalance: 6_000 });
    expect((later.body.entries as { balance: number }[]).map((e) => e.balance)).toEqual([3_000, 6_000]);
    const report = await t
      .admin()
      .get('/v1/reports/ledger')
      .query({ from: '2025-03-21', to: '2025-12-31', partnerId: gia.id })
      .expect(200);
    expect(report.body.rows).toEqual([
      {
        partnerId: gia.id,
        partnerCode: gia.code,
        beginningBalance: 3_500,
        commissions: 3_000,
        clawbacks: 500,
        adjustments: 0,
        payments: 0,
        endingBalance: 6_000,
      },
    ]);
    // The whole year at once, from its yearly sums.
    const year = await t
      .admin()
      .get('/v1/reports/ledger')
      .query({ from: '2025-01-01', to: '2025-12-31', partnerId: gia.id })
      .expect(200);
    expect(year.body.rows[0]).toMatchObject({ beginningBalance: 0, commissions: 6_500, clawbacks: 500 });

    const verify = await t.admin().get('/v1/audit/verify').expect(200);
    expect(verify.body).toMatchObject({ consistent: true, differences: [] });
  });
});

describe('distinct visitors', () => {
  it('are exact over a whole month, a whole year, a short range and a long unaligned one', async () => {
    const hal = await enroll('Hal');
    const link = await createLink(t);
    const visit = (at: string, visitorId: string) =>
      click(at, { partnerCode: hal.code, linkCode: link.code, visitorId: `${visitorId}-${hal.id}` });
    const results = await ingestAll(t, [
      visit('2025-01-05T10:00:00Z', 'v1'),
      visit('2025-01-20T10:00:00Z', 'v2'),
      visit('2025-02-10T10:00:00Z', 'v1'),
      visit('2025-02-28T10:00:00Z', 'v3'),
      visit('2025-03-03T10:00:00Z', 'v1'),
      visit('2025-03-03T11:00:00Z', 'v1'),
      visit('2024-12-31T10:00:00Z', 'v4'),
    ]);
    const waitFor = results[results.length - 1]!.position;
    const stats = async (from: string, to: string, groupBy: 'link' | 'ad') => {
      const response = await t
        .admin()
        .get('/v1/reports/link-stats')
        .query({ from, to, groupBy, partnerId: hal.id, waitFor })
        .expect(200);
      return (response.body.rows as { clicks: number; uniqueVisitors: number }[]).map((r) => [
        r.clicks,
        r.uniqueVisitors,
      ]);
    };
    for (const groupBy of ['link', 'ad'] as const) {
      expect(await stats('2025-01-01', '2025-01-31', groupBy)).toEqual([[2, 2]]); // a month
      expect(await stats('2025-01-01', '2025-12-31', groupBy)).toEqual([[6, 3]]); // a year
      expect(await stats('2025-01-15', '2025-02-15', groupBy)).toEqual([[2, 2]]); // short
      expect(await stats('2024-12-20', '2025-03-02', groupBy)).toEqual([[5, 4]]); // long, unaligned
      expect(await stats('2025-01-06', '2025-12-31', groupBy)).toEqual([[5, 3]]); // long, unaligned
      expect(await stats('2024-01-01', '2025-12-31', groupBy)).toEqual([[7, 4]]); // two years
    }
  });

  it('are exact for a link clicked through no ad at first, then through an ad as well', async () => {
    const ivy = await enroll('Ivy');
    const link = await createLink(t);
    const ad = await t
      .admin()
      .post(`/v1/partners/${ivy.id}/ads`)
      .send({ linkId: link.id, name: 'Banner', medium: 'banner' })
      .expect(201);
    const visit = (at: string, visitorId: string, adId?: string) =>
      click(at, {
        partnerCode: ivy.code,
        linkCode: link.code,
        visitorId: `${visitorId}-${ivy.id}`,
        ...(adId ? { adId } : {}),
      });
    const stats = async (from: string, to: string, groupBy: 'link' | 'ad', waitFor: string | undefined) => {
      const response = await t
        .admin()
        .get('/v1/reports/link-stats')
        .query({ from, to, groupBy, partnerId: ivy.id, waitFor })
        .expect(200);
      return (response.body.rows as { clicks: number; uniqueVisitors: number }[]).map((r) => [
        r.clicks,
        r.uniqueVisitors,
      ]);
    };
    const before = await ingestAll(t, [
      visit('2025-01-05T10:00:00Z', 'v1'),
      visit('2025-01-06T10:00:00Z', 'v4'),
      visit('2025-02-10T10:00:00Z', 'v2'),
    ]);
    const first = before.at(-1)?.position;
    expect(await stats('2025-01-01', '2025-12-31', 'link', first)).toEqual([[3, 3]]);
    // A later batch: the link's counts over all its ads start from those of its one ad so far.
    const after = await ingestAll(t, [
      visit('2025-01-20T10:00:00Z', 'v1', ad.body.id as string),
      visit('2025-02-11T10:00:00Z', 'v2', ad.body.id as string),
      visit('2025-03-03T10:00:00Z', 'v3', ad.body.id as string),
    ]);
    const waitFor = after.at(-1)?.position;
    expect(await stats('2025-01-01', '2025-01-31', 'link', waitFor)).toEqual([[3, 2]]); // a month
    expect(await stats('2025-02-01', '2025-02-28', 'link', waitFor)).toEqual([[2, 1]]);
    expect(await stats('2025-01-01', '2025-12-31', 'link', waitFor)).toEqual([[6, 4]]); // a year
    expect(await stats('2025-01-02', '2025-03-31', 'link', waitFor)).toEqual([[6, 4]]); // long, unaligned
    expect(await stats('2025-01-01', '2025-01-31', 'ad', waitFor)).toEqual([
      [2, 2],
      [1, 1],
    ]);
    expect(await stats('2025-01-01', '2025-12-31', 'ad', waitFor)).toEqual([
      [3, 3],
      [3, 3],
    ]);
    expect(await stats('2025-01-02', '2025-03-31', 'ad', waitFor)).toEqual([
      [3, 3],
      [3, 3],
    ]);
  });
});
