/**
 * Issue 13.8 (these gaps): HEAD on a tracking link records nothing; every /v1/me route refuses a
 * partnerId naming another partner with 403; a body that is not valid UTF-8 is a 400, never stored with
 * U+FFFD in place of the bad bytes.
 */
import { Database } from '@app/platform';
import { createLink, createPartner, createProgram, uniqueId } from './support/fixtures';
import { discoverRoutes } from './support/routes';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let link: { id: string; code: string };
let zoe: { id: string; code: string; token: string };
let yann: { id: string; code: string };

async function enroll(prefix: string, password: string) {
  const program = await createProgram(t, { default: { sale: [{ percent: '12' }] } });
  const code = `${prefix}${uniqueId('x').replace(/-/g, '')}`;
  const id = await createPartner(t, { code, programIds: [program], ...({ password } as object) });
  return { id, code };
}

beforeAll(async () => {
  t = await startTestApp();
  link = await createLink(t, { destinationUrl: 'https://shop.example.com/edges?x=2' });
  const z = await enroll('zoe', 'zoe-edges-password');
  yann = await enroll('yann', 'yann-edges-password');
  const login = await t
    .http()
    .post('/v1/partner-center/login')
    .send({ code: z.code, password: 'zoe-edges-password' })
    .expect(200);
  zoe = { ...z, token: login.body.token as string };
});

afterAll(async () => {
  await t.close();
});

async function count(sql: string): Promise<number> {
  const { rows } = await t.app.get(Database).query<{ n: string }>(sql);
  return Number(rows[0]!.n);
}

describe('HEAD on a tracking link', () => {
  it('answers the redirect without a body, a cookie or a recorded click', async () => {
    const clicks = () => count(`SELECT count(*) AS n FROM events WHERE type = 'LinkClicked'`);
    const before = await clicks();
    const head = await t.http().head(`/r/${zoe.code}/${link.code}`).expect(302);
    expect(head.headers['location']).toBe(`https://shop.example.com/edges?x=2&affiliate=${zoe.id}`);
    expect(head.headers['set-cookie']).toBeUndefined();
    expect(head.text ?? '').toBe('');
    await t.http().head(`/r/nobody/${link.code}`).expect(404);
    expect(await clicks()).toBe(before);

    const get = await t.http().get(`/r/${zoe.code}/${link.code}`).expect(302);
    expect(get.headers['location']).toBe(head.headers['location']);
    expect(await clicks()).toBe(before + 1);
  });
});

describe('/v1/me with another partner’s id', () => {
  it('is 403 on every /v1/me route, and the own id is accepted', async () => {
    const routes = discoverRoutes(t.app).filter((r) => r.path === '/v1/me' || r.path.startsWith('/v1/me/'));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    const range = { from: '2027-05-01', to: '2027-05-31' };
    for (const route of routes) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
      const call = (partnerId: string) => {
        const agent = t.as(zoe.token)[method](route.path);
        if (method === 'get')
          return agent.query(
            /(link-stats|products-sold|ledger)$/.test(route.path) ? { ...range, partnerId } : { partnerId },
          );
        const body =
          route.path === '/v1/me'
            ? { notifyOnSale: true, partnerId }
            : { linkId: link.id, name: `Ad ${uniqueId('a')}`, medium: 'banner', partnerId };
        return agent.query({ partnerId }).send(body);
      };
      const foreign = await call(yann.id);
      expect([route.name, foreign.status]).toEqual([route.name, 403]);
      expect(foreign.headers['content-type']).toMatch(/^application\/problem\+json/);
      const own = await call(zoe.id);
      expect([route.name, own.status, own.status < 300 ? null : own.body]).toEqual([
        route.name,
        own.status,
        null,
      ]);
    }
    // Only in the body of a write: still another partner's id.
    await t
      .as(zoe.token)
      .post('/v1/me/ads')
      .send({ linkId: link.id, name: 'Foreign ad', medium: 'banner', partnerId: yann.id })
      .expect(403);
    const ads = await t.admin().get(`/v1/partners/${yann.id}/ads`).expect(200);
    expect(ads.body).toEqual([]);
  });
});

describe('a body that is not valid UTF-8', () => {
  /** The bytes exactly as given (supertest would serialise a Buffer as JSON). */
  async function raw(path: string, bytes: Buffer) {
    const response = await fetch(`${t.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: new Uint8Array(bytes),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: JSON.parse(text) as { detail?: string },
    };
  }

  it('is a 400 problem and stores nothing', async () => {
    const contactId = uniqueId('utf');
    const envelope = (name: string) =>
      `{"events":[{"eventId":"${uniqueId('utf')}","type":"ContactOptedIn","occurredAt":"2027-05-02T10:00:00Z",` +
      `"data":{"contactId":"${contactId}","formId":"${name}"}}]}`;
    const before = await count('SELECT count(*) AS n FROM events');
    for (const bad of [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80])]) {
      const [head, tail] = envelope('form-@').split('@') as [string, string];
      const response = await raw('/v1/events', Buffer.concat([Buffer.from(head), bad, Buffer.from(tail)]));
      expect([bad, response.status, response.body]).toEqual([bad, 400, expect.anything()]);
      expect(response.contentType).toMatch(/^application\/problem\+json/);
      expect(response.body.detail).toMatch(/UTF-8/);
    }
    const partnerCode = `utf${uniqueId('x').replace(/-/g, '')}`;
    const partner = await raw(
      '/v1/partners',
      Buffer.concat([
        Buffer.from(`{"code":"${partnerCode}","programIds":[],"name":"Bj`),
        Buffer.from([0xf6]), // "ö" in Latin-1, not UTF-8
        Buffer.from('rn"}'),
      ]),
    );
    expect(partner.status).toBe(400);
    expect(await count('SELECT count(*) AS n FROM events')).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM partners WHERE code = '${partnerCode}'`)).toBe(0);

    // Valid UTF-8 beyond ASCII is stored as sent.
    const fine = await raw('/v1/events', Buffer.from(envelope('formulaire-été-🎉'), 'utf8'));
    expect(fine.status).toBe(200);
    const { rows } = await t.app
      .get(Database)
      .query<{ form: string }>(`SELECT data->>'formId' AS form FROM events WHERE data->>'contactId' = $1`, [
        contactId,
      ]);
    expect(rows.map((r) => r.form)).toEqual(['formulaire-été-🎉']);
  });
});
