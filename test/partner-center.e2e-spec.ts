import { startTestApp, type TestApp } from './support/test-app';
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
let amy: { id: string; code: string; token: string };
let ben: { id: string; code: string };
let link: { id: string; code: string };
let waitFor = '';

async function enroll(password?: string) {
  const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
  const code = `pc${uniqueId('x').replace(/-/g, '')}`;
  const id = await createPartner(t, {
    code,
    programIds: [program],
    ...(password ? ({ password } as object) : {}),
  });
  return { id, code };
}

beforeAll(async () => {
  t = await startTestApp();
  link = await createLink(t);
  const a = await enroll('amy-secret-password');
  ben = await enroll('ben-secret-password');
  const login = await t
    .http()
    .post('/v1/partner-center/login')
    .send({ code: a.code, password: 'amy-secret-password' })
    .expect(200);
  amy = { ...a, token: login.body.token as string };
  expect(Date.parse(login.body.expiresAt as string)).toBeGreaterThan(Date.now());
  for (const p of [a, ben]) {
    const id = uniqueId('att');
    const visitorId = uniqueId('v');
    const results = await ingestAll(t, [
      click('2026-01-05T10:00:00Z', { partnerId: p.id, linkId: link.id, visitorId }),
      attempt('2026-01-05T11:00:00Z', {
        attemptId: id,
        contactId: uniqueId('c'),
        visitorId,
        items: [{ productId: 'book', quantity: 1, unitPrice: 5000 }],
      }),
      collect('2026-01-05T11:00:01Z', id),
    ]);
    waitFor = results[results.length - 1]!.position!;
  }
});

afterAll(async () => {
  await t.close();
});

const range = { from: '2026-01-01', to: '2026-01-31' };
const waited = () => ({ ...range, waitFor });

describe('sign-in', () => {
  it('refuses a wrong password or an unknown code with the same 401', async () => {
    const wrong = await t
      .http()
      .post('/v1/partner-center/login')
      .send({ code: ben.code, password: 'nope' })
      .expect(401);
    const unknown = await t
      .http()
      .post('/v1/partner-center/login')
      .send({ code: 'nobody', password: 'nope' })
      .expect(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('limits failed sign-ins per code', async () => {
    const p = await enroll('carol-secret-password');
    for (let i = 0; i < 5; i++)
      await t
        .http()
        .post('/v1/partner-center/login')
        .send({ code: p.code, password: `wrong-${i}` })
        .expect(401);
    const limited = await t
      .http()
      .post('/v1/partner-center/login')
      .send({ code: p.code, password: 'carol-secret-password' })
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a tampered token', async () => {
    const [prefix, payload, signature] = amy.token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: ben.id, code: ben.code, exp: 9_999_999_999 })).toString(
      'base64url',
    );
    await t.as(`${prefix}.${forged}.${signature}`).get('/v1/me').expect(401);
    await t.as(`${prefix}.${payload}.${signature}x`).get('/v1/me').expect(401);
  });
});

describe('own data only', () => {
  it('shows the signed-in partner its profile, links and ads, never a password', async () => {
    const profile = await t.as(amy.token).get('/v1/me').expect(200);
    expect(profile.body).toMatchObject({ id: amy.id, code: amy.code });
    expect(JSON.stringify(profile.body)).not.toMatch(/password"|\$2[aby]\$/);
    const links = await t.as(amy.token).get('/v1/me/links').expect(200);
    expect(links.body.map((l: { trackingUrl: string }) => l.trackingUrl)).toContain(
      `https://track.example.com/r/${amy.code}/${link.code}`,
    );
    const ad = await t
      .as(amy.token)
      .post('/v1/me/ads')
      .send({ linkId: link.id, name: 'My banner', medium: 'banner' })
      .expect(201);
    expect(ad.body.partnerId).toBe(amy.id);
    const ads = await t.as(amy.token).get('/v1/me/ads').expect(200);
    expect(ads.body.map((a: { id: string }) => a.id)).toEqual([ad.body.id]);
  });

  it('limits the reports, ledger and commissions to the partner', async () => {
    const stats = await t.as(amy.token).get('/v1/me/link-stats').query(waited()).expect(200);
    expect(stats.body.rows.length).toBeGreaterThan(0);
    expect(new Set(stats.body.rows.map((r: { partnerId: string }) => r.partnerId))).toEqual(
      new Set([amy.id]),
    );
    const sold = await t.as(amy.token).get('/v1/me/products-sold').query(waited()).expect(200);
    expect(sold.body.rows.map((r: { partnerId: string }) => r.partnerId)).toEqual([amy.id]);
    const ledger = await t.as(amy.token).get('/v1/me/ledger').query(waited()).expect(200);
    expect(ledger.body).toMatchObject({ partnerId: amy.id, endingBalance: 500 });
    const commissions = await t.as(amy.token).get('/v1/me/commissions').expect(200);
    expect(commissions.body.commissions).toEqual([
      expect.objectContaining({ partnerId: amy.id, amount: 500 }),
    ]);
  });

  it('refuses another partner’s data through any route', async () => {
    await t
      .as(amy.token)
      .get('/v1/me/link-stats')
      .query({ ...range, partnerId: ben.id })
      .expect(403);
    await t
      .as(amy.token)
      .get('/v1/me/products-sold')
      .query({ ...range, partnerId: ben.id })
      .expect(403);
    await t.as(amy.token).get(`/v1/partners/${ben.id}`).expect(403);
    await t.as(amy.token).get(`/v1/partners/${ben.id}/ledger`).query(range).expect(403);
    await t.as(amy.token).get('/v1/reports/ledger').query(range).expect(403);
    await t.as(amy.token).get(`/v1/attempts/x`).expect(403);
    await t.as(amy.token).post('/v1/events').send({ events: [] }).expect(403);
  });

  it('has no Partner Center for an admin key', async () => {
    await t.admin().get('/v1/me').expect(403);
  });
});
