import { SignupRateLimiter } from '../libs/core/src/partner-center/signup/signup-rate-limiter';
import { startTestApp, type TestApp } from './support/test-app';
import {
  attempt,
  click,
  collect,
  createLink,
  createPartner,
  createProgram,
  ingestAll,
  patchSettings,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let program: string;
let amy: { id: string; code: string };

const code = () => `s${uniqueId('x').replace(/-/g, '')}`;
const form = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  code: code(),
  name: 'New Partner',
  email: 'new@example.com',
  password: 'a long secret',
  ...overrides,
});

beforeAll(async () => {
  t = await startTestApp();
  program = await createProgram(t, { default: { sale: [{ percent: '10' }, { percent: '3' }] } });
  const amyCode = code();
  amy = { id: await createPartner(t, { code: amyCode, programIds: [program] }), code: amyCode };
  t.app.get(SignupRateLimiter).limit = { maxAttempts: 1000, windowMs: 60_000 };
});

afterAll(async () => {
  await t.close();
});

describe('sign-up settings', () => {
  it('are closed by default, and validated', async () => {
    const settings = await t.admin().get('/v1/settings').expect(200);
    expect(settings.body.signup).toEqual({ enabled: false, autoApprove: false, programIds: [] });
    const noPrograms = await t
      .admin()
      .patch('/v1/settings')
      .send({ signup: { enabled: true } })
      .expect(400);
    expect(noPrograms.body.errors).toEqual([
      { path: 'signup.programIds', message: 'must name at least one program while sign-up is enabled' },
    ]);
    const unknown = await t
      .admin()
      .patch('/v1/settings')
      .send({ signup: { programIds: ['no-such-program'] } })
      .expect(422);
    expect(unknown.body.errors).toEqual([
      { path: 'signup.programIds[0]', message: 'unknown program no-such-program' },
    ]);
    await t
      .admin()
      .patch('/v1/settings')
      .send({ signup: { bogus: true } })
      .expect(400);
  });

  it('answers 404 problem+json while sign-up is closed', async () => {
    const closed = await t.http().post('/v1/partner-center/signup').send(form()).expect(404);
    expect(closed.headers['content-type']).toMatch(/problem\+json/);
    expect(closed.body.code).toBe('signup-closed');
  });
});

describe('sign-up and approval', () => {
  beforeAll(async () => {
    await patchSettings(t, { signup: { enabled: true, programIds: [program] } });
  });

  it('records a pending partner, child of the recruiter, that cannot sign in nor earn until approved', async () => {
    const body = form({ recruitedBy: amy.code.toUpperCase() });
    const signed = await t.http().post('/v1/partner-center/signup').send(body).expect(201);
    expect(signed.body).toEqual({
      partnerId: expect.any(String),
      code: body.code,
      status: 'pending',
      parentId: amy.id,
      position: expect.any(String),
    });
    const id = signed.body.partnerId as string;
    const partner = await t.admin().get(`/v1/partners/${id}`).expect(200);
    expect(partner.body).toMatchObject({ status: 'pending', programIds: [program], hasPassword: true });

    const pendingLogin = await t
      .http()
      .post('/v1/partner-center/login')
      .send({ code: body.code, password: body.password })
      .expect(403);
    expect(pendingLogin.body.code).toBe('pending-approval');

    // Its clicks count in the stats but credit no one: the attempt earns nothing.
    const link = await createLink(t);
    const visitorId = uniqueId('v');
    const attemptId = uniqueId('a');
    await ingestAll(t, [
      click(new Date().toISOString(), { partnerId: id, linkId: link.id, visitorId }),
      attempt(new Date().toISOString(), {
        attemptId,
        contactId: uniqueId('c'),
        visitorId,
        items: [{ productId: 'book', quantity: 1, unitPrice: 5000 }],
      }),
      collect(new Date().toISOString(), attemptId),
    ]);
    const pendingAttempt = await t.admin().get(`/v1/attempts/${attemptId}`).expect(200);
    expect(pendingAttempt.body.salePartnerId).toBeNull();

    const approved = await t.admin().post(`/v1/partners/${id}/approve`).expect(200);
    expect(approved.body).toMatchObject({ id, status: 'active', position: expect.any(String) });
    const again = await t.admin().post(`/v1/partners/${id}/approve`).expect(200);
    expect(again.body.position).toBe(approved.body.position);

    const login = await t
      .http()
      .post('/v1/partner-center/login')
      .send({ code: body.code, password: body.password })
      .expect(200);
    const me = await t
      .as(login.body.token as string)
      .get('/v1/me')
      .expect(200);
    expect(me.body).toMatchObject({
      id,
      status: 'active',
      parentId: amy.id,
      recruitingUrl: `https://track.example.com/partner-center/join?ref=${String(body.code)}`,
    });

    const events = await t.admin().get('/v1/audit/events?limit=1000').expect(200);
    const mine = (
      events.body.events as {
        type: string;
        streamId: string;
        data: Record<string, unknown>;
        metadata: Record<string, unknown>;
      }[]
    ).filter((e) => e.streamId === `partner-${id}`);
    expect(mine.map((e) => e.type)).toEqual(['PartnerSignedUp', 'PartnerApproved']);
    expect(mine[0]!.data['recruitedBy']).toBe(body.recruitedBy);
    expect(mine[0]!.metadata['actor']).toBe('partner-center:signup');
    expect(JSON.stringify(mine)).not.toContain(String(body.password));
  });

  it('approves at once with signup.autoApprove', async () => {
    await patchSettings(t, { signup: { autoApprove: true } });
    try {
      const body = form();
      const signed = await t.http().post('/v1/partner-center/signup').send(body).expect(201);
      expect(signed.body).toMatchObject({ status: 'active', parentId: null });
      await t
        .http()
        .post('/v1/partner-center/login')
        .send({ code: body.code, password: body.password })
        .expect(200);
    } finally {
      await patchSettings(t, { signup: { autoApprove: false } });
    }
  });

  it('refuses a taken code, an unknown or pending recruiter and bad input', async () => {
    const taken = await t
      .http()
      .post('/v1/partner-center/signup')
      .send(form({ code: amy.code }))
      .expect(409);
    expect(taken.body.code).toBe('code-taken');
    const unknown = await t
      .http()
      .post('/v1/partner-center/signup')
      .send(form({ recruitedBy: 'nobody-here' }))
      .expect(422);
    expect(unknown.body.errors).toEqual([{ path: 'recruitedBy', message: expect.any(String) }]);
    const pending = await t.http().post('/v1/partner-center/signup').send(form()).expect(201);
    await t
      .http()
      .post('/v1/partner-center/signup')
      .send(form({ recruitedBy: pending.body.code }))
      .expect(422);
    const bad = await t
      .http()
      .post('/v1/partner-center/signup')
      .send({ code: 'has space', name: '', email: 'nope', password: 'short', status: 'active' })
      .expect(400);
    expect([...new Set((bad.body.errors as { path: string }[]).map((e) => e.path))].sort()).toEqual([
      'code',
      'email',
      'name',
      'password',
      'status',
    ]);
  });

  it('refuses approving an unknown or inactive partner', async () => {
    await t.admin().post('/v1/partners/nobody/approve').expect(404);
    const off = await createPartner(t, { programIds: [program], status: 'inactive' });
    const refused = await t.admin().post(`/v1/partners/${off}/approve`).expect(422);
    expect(refused.body.code).toBe('not-pending');
  });

  it('limits sign-ups per IP address with 429 and Retry-After', async () => {
    const limiter = t.app.get(SignupRateLimiter);
    limiter.limit = { maxAttempts: 2, windowMs: 60_000 };
    try {
      await t.http().post('/v1/partner-center/signup').send(form());
      await t.http().post('/v1/partner-center/signup').send(form());
      const limited = await t.http().post('/v1/partner-center/signup').send(form()).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      limiter.limit = { maxAttempts: 1000, windowMs: 60_000 };
    }
  });
});
