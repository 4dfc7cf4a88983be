/**
 * Issue 13.7 and 21.4: the Partner Center sign-in limit holds under concurrency and across processes
 * (counted in PostgreSQL, reserved before the bcrypt check), and a new password or deactivation ends the
 * partner's existing tokens. Each scenario signs in from its own client IP (X-Forwarded-For, with
 * TRUST_PROXY) so that the per-IP limit of one does not spill into the next.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '@app/core';
import { createPartner, createProgram, uniqueId } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let second: NestExpressApplication;
let secondUrl: string;
let program: string;
let ipSequence = 10;

beforeAll(async () => {
  t = await startTestApp({ TRUST_PROXY: 'true' });
  // A second process of the service on the same database, as a second api replica would be.
  second = await createApp({ ...t.config, role: 'api' }, t.database.url, { logger: ['error'] });
  await second.listen(0, '127.0.0.1');
  const address = second.getHttpServer().address();
  secondUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  program = await createProgram(t, { default: { sale: [{ percent: '8' }] } });
});

afterAll(async () => {
  await second.close();
  await t.close();
});

async function enroll(password: string): Promise<{ id: string; code: string }> {
  const code = `lim${uniqueId('x').replace(/-/g, '')}`;
  const id = await createPartner(t, { code, programIds: [program], ...({ password } as object) });
  return { id, code };
}

function signIn(baseUrl: string, ip: string, code: string, password: string) {
  return request(baseUrl)
    .post('/v1/partner-center/login')
    .set('X-Forwarded-For', ip)
    .send({ code, password });
}

const nextIp = () => `198.51.100.${++ipSequence}`;

function tally(statuses: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('the sign-in limit under concurrency', () => {
  it('checks at most 5 of 40 parallel wrong passwords and then refuses the right one', async () => {
    const partner = await enroll('right-password-one');
    const ip = nextIp();
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(t.baseUrl, ip, partner.code, `wrong-${i}`)),
    );
    expect(tally(burst.map((r) => r.status))).toEqual({ 401: 5, 429: 35 });
    for (const limited of burst.filter((r) => r.status === 429)) {
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const right = await signIn(t.baseUrl, ip, partner.code, 'right-password-one');
    expect(right.status).toBe(429);
  });

  it('lets a right password inside a burst count as one of the 5 at most', async () => {
    const partner = await enroll('right-password-two');
    const ip = nextIp();
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signIn(t.baseUrl, ip, partner.code, i % 6 === 5 ? 'right-password-two' : `wrong-${i}`),
      ),
    );
    // Only attempts that got a reservation were checked: 5 wrong ones (a right one that got in first
    // gave its reservation back); the rest, right passwords included, were refused unchecked.
    const counts = tally(burst.map((r) => r.status));
    expect(counts[401]).toBe(5);
    expect((counts[401] ?? 0) + (counts[429] ?? 0) + (counts[200] ?? 0)).toBe(30);
    burst.forEach((response, i) => {
      if (response.status === 200) expect(i % 6).toBe(5);
    });
    expect(await signIn(t.baseUrl, ip, partner.code, 'right-password-two').then((r) => r.status)).toBe(429);
  });

  it('holds across two processes on one database', async () => {
    const partner = await enroll('right-password-three');
    const ip = nextIp();
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signIn(i % 2 === 0 ? t.baseUrl : secondUrl, ip, partner.code, `wrong-${i}`),
      ),
    );
    expect(tally(burst.map((r) => r.status))).toEqual({ 401: 5, 429: 25 });
    for (const baseUrl of [t.baseUrl, secondUrl]) {
      expect(await signIn(baseUrl, ip, partner.code, 'right-password-three').then((r) => r.status)).toBe(429);
    }
    // Sequentially too: 5 failures through the first process use up the code at the second.
    const other = await enroll('right-password-four');
    const otherIp = nextIp();
    for (let i = 0; i < 5; i++)
      expect((await signIn(t.baseUrl, otherIp, other.code, `nope-${i}`)).status).toBe(401);
    expect((await signIn(secondUrl, otherIp, other.code, 'right-password-four')).status).toBe(429);
  });

  it('limits failures per IP across codes, and forgives a right password', async () => {
    const ip = nextIp();
    const partner = await enroll('right-password-five');
    for (let i = 0; i < 4; i++)
      expect((await signIn(t.baseUrl, ip, partner.code, `nope-${i}`)).status).toBe(401);
    expect((await signIn(secondUrl, ip, partner.code, 'right-password-five')).status).toBe(200);
    // The right password did not count: 4 failures and one more is still allowed for the code.
    expect((await signIn(t.baseUrl, ip, partner.code, 'nope-4')).status).toBe(401);
    expect((await signIn(t.baseUrl, ip, partner.code, 'nope-5')).status).toBe(429);
    for (let i = 0; i < 15; i++) {
      const unknown = await signIn(i % 2 ? t.baseUrl : secondUrl, ip, `ghost${i}`, 'nope');
      expect(unknown.status).toBe(401);
    }
    const fresh = await enroll('right-password-six');
    expect((await signIn(t.baseUrl, ip, fresh.code, 'right-password-six')).status).toBe(429);
    expect((await signIn(t.baseUrl, nextIp(), fresh.code, 'right-password-six')).status).toBe(200);
  });
});

describe('tokens end with the credentials', () => {
  it('refuses every earlier token once the password is changed', async () => {
    const partner = await enroll('first-password-value');
    const ip = nextIp();
    const first = await signIn(t.baseUrl, ip, partner.code, 'first-password-value').expect(200);
    const second = await signIn(secondUrl, ip, partner.code, 'first-password-value').expect(200);
    const tokens = [first.body.token as string, second.body.token as string];
    for (const token of tokens) await t.as(token).get('/v1/me').expect(200);

    await t
      .admin()
      .patch(`/v1/partners/${partner.id}`)
      .send({ password: 'second-password-value' })
      .expect(200);
    for (const token of tokens) await t.as(token).get('/v1/me').expect(401);
    await request(secondUrl).get('/v1/me').set('Authorization', `Bearer ${tokens[0]}`).expect(401);
    await signIn(t.baseUrl, ip, partner.code, 'first-password-value').expect(401);
    const renewed = await signIn(t.baseUrl, ip, partner.code, 'second-password-value').expect(200);
    await t
      .as(renewed.body.token as string)
      .get('/v1/me')
      .expect(200);
  });

  it('refuses the tokens of a partner made inactive, also after it is active again', async () => {
    const partner = await enroll('inactive-later-password');
    const ip = nextIp();
    const before = await signIn(t.baseUrl, ip, partner.code, 'inactive-later-password').expect(200);
    const token = before.body.token as string;
    await t.as(token).get('/v1/me/links').expect(200);

    await t.admin().patch(`/v1/partners/${partner.id}`).send({ status: 'inactive' }).expect(200);
    await t.as(token).get('/v1/me/links').expect(401);
    const refused = await signIn(t.baseUrl, ip, partner.code, 'inactive-later-password').expect(403);
    expect(refused.body.code).toBe('partner-not-active');

    await t.admin().patch(`/v1/partners/${partner.id}`).send({ status: 'active' }).expect(200);
    await t.as(token).get('/v1/me/links').expect(401);
    const after = await signIn(t.baseUrl, ip, partner.code, 'inactive-later-password').expect(200);
    await t
      .as(after.body.token as string)
      .get('/v1/me/links')
      .expect(200);
  });
});
