/** Settings, programs, partners, links and ads over HTTP (api.md sections Settings to Links and ads). */
import { compare } from 'bcryptjs';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from './support/test-app';

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

const POSITION = /^\d+-\d+$/;

async function eventCount(): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0]!.n;
}

async function lastEvent(streamId: string): Promise<{ type: string; data: Record<string, unknown> }> {
  const { rows } = await db.query<{ type: string; data: Record<string, unknown> }>(
    'SELECT type, data FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1',
    [streamId],
  );
  return rows[0]!;
}

/** Runs `request`, expects `status` and the problem's error paths, and that no event was stored. */
async function expectRefused(
  request: () => Promise<Response>,
  status: number,
  paths?: string[],
): Promise<Response> {
  const before = await eventCount();
  const response = await request();
  expect(response.status).toBe(status);
  // One field may break several constraints; each path counts once.
  const errors = (response.body as { errors?: { path: string }[] }).errors ?? [];
  if (paths) expect([...new Set(errors.map((e) => e.path))]).toEqual(paths);
  expect(await eventCount()).toBe(before);
  return response;
}

async function keyFor(role: 'ingest' | 'auditor'): Promise<string> {
  const response = await t
    .admin()
    .post('/v1/api-keys')
    .send({ name: `${role}-${Math.random().toString(36).slice(2, 8)}`, role })
    .expect(201);
  return response.body.key as string;
}

const rule = (percent: string) => ({ sale: [{ percent }] });

async function createProgram(id: string, body: Record<string, unknown> = {}) {
  return t
    .admin()
    .post('/v1/programs')
    .send({ id, name: `Program ${id}`, default: rule('10'), ...body })
    .expect(201);
}

async function enroll(body: Record<string, unknown>) {
  return t
    .admin()
    .post('/v1/partners')
    .send({ programIds: ['base'], ...body })
    .expect(201);
}

describe('settings', () => {
  const defaults = {
    codePrefix: '',
    skipNotifications: false,
    attribution: 'last',
    trackingMethod: 'cookies-only',
    useIpAddress: false,
    ipMatchDays: 30,
    levels: 2,
    payout: { sale: true, lead: false },
    payIfUnused: false,
    blockSelfReferrals: true,
    currency: 'USD',
    timezone: 'UTC',
    payoutSchedule: { cutoffDay: 15, minimumBalance: 0 },
    signup: { enabled: false, autoApprove: false, programIds: [] },
  };

  it('GET answers the defaults before any change', async () => {
    const response = await t.admin().get('/v1/settings').expect(200);
    expect(response.body).toEqual(defaults);
  });

  it('PATCH changes a subset, answers the full settings with a position, and GET shows it', async () => {
    const before = await eventCount();
    const response = await t
      .admin()
      .patch('/v1/settings')
      .send({
        levels: 3,
        payout: { lead: true },
        payoutSchedule: { minimumBalance: 10000 },
        timezone: 'Europe/Paris',
      })
      .expect(200);
    const expected = {
      ...defaults,
      levels: 3,
      payout: { sale: true, lead: true },
      payoutSchedule: { cutoffDay: 15, minimumBalance: 10000 },
      timezone: 'Europe/Paris',
    };
    expect(response.body).toEqual({ ...expected, position: expect.stringMatching(POSITION) });
    expect(await eventCount()).toBe(before + 1);
    const event = await lastEvent('settings');
    expect(event.type).toBe('SettingsChanged');
    expect((event.data['changedKeys'] as string[]).sort()).toEqual([
      'levels',
      'payout.lead',
      'payoutSchedule.minimumBalance',
      'timezone',
    ]);
    expect((await t.admin().get('/v1/settings').expect(200)).body).toEqual(expected);
  });

  it('a PATCH that changes nothing answers 200 and records nothing', async () => {
    const before = await eventCount();
    const response = await t.admin().patch('/v1/settings').send({ levels: 3 }).expect(200);
    expect(response.body).toMatchObject({ levels: 3, position: expect.stringMatching(POSITION) });
    await t.admin().patch('/v1/settings').send({}).expect(200);
    expect(await eventCount()).toBe(before);
  });

  it.each([
    [{ payoutSchedule: { cutoffDay: 29 } }, 'payoutSchedule.cutoffDay'],
    [{ payoutSchedule: { cutoffDay: 0 } }, 'payoutSchedule.cutoffDay'],
    [{ payoutSchedule: { minimumBalance: -1 } }, 'payoutSchedule.minimumBalance'],
    [{ levels: 4 }, 'levels'],
    [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    [{ currency: 'XYZ' }, 'currency'],
    [{ currency: 'usd' }, 'currency'],
    [{ ipMatchDays: 366 }, 'ipMatchDays'],
    [{ attribution: 'middle' }, 'attribution'],
    [{ trackingMethod: 'history-only' }, 'trackingMethod'],
    [{ useIpAddress: 'yes' }, 'useIpAddress'],
    [{ codePrefix: 'a b' }, 'codePrefix'],
    [{ skipNotifications: null }, 'skipNotifications'],
    [{ colour: 'red' }, 'colour'],
    [{ payout: { sale: true, bonus: true } }, 'payout.bonus'],
  ])('PATCH %j -> 400 naming %s, nothing changed', async (patch, path) => {
    const before = (await t.admin().get('/v1/settings')).body;
    const response = await expectRefused(() => t.admin().patch('/v1/settings').send(patch), 400);
    expect(response.body.errors?.map((e: { path: string }) => e.path)).toContain(path);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await t.admin().get('/v1/settings')).body).toEqual(before);
  });

  it('refuses the whole patch when one value is bad', async () => {
    await expectRefused(
      () =>
        t
          .admin()
          .patch('/v1/settings')
          .send({ ipMatchDays: 10, payoutSchedule: { cutoffDay: 29 } }),
      400,
      ['payoutSchedule.cutoffDay'],
    );
    expect((await t.admin().get('/v1/settings')).body.ipMatchDays).toBe(30);
  });

  it('applies concurrent patches one after the other, losing none', async () => {
    const patches = [
      { ipMatchDays: 45 },
      { useIpAddress: true },
      { payIfUnused: true },
      { skipNotifications: true },
      { payoutSchedule: { cutoffDay: 10 } },
    ];
    const responses = await Promise.all(patches.map((p) => t.admin().patch('/v1/settings').send(p)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const settings = (await t.admin().get('/v1/settings').expect(200)).body;
    expect(settings).toMatchObject({
      ipMatchDays: 45,
      useIpAddress: true,
      payIfUnused: true,
      skipNotifications: true,
      payoutSchedule: { cutoffDay: 10, minimumBalance: 10000 },
    });
  });
});

describe('programs', () => {
  const full = {
    id: 'gold',
    name: 'Gold',
    notes: 'for resellers',
    priority: 1,
    default: {
      sale: [{ percent: '10' }, { percent: '5' }, { flat: 100 }],
      lead: [{ flat: 200 }],
      maxRenewals: null,
    },
    products: {
      premium: {
        sale: [{ flat: 500, percent: '12.5' }],
        renewal: [{ percent: '7.1234' }],
        maxRenewals: 3,
      },
    },
  };

  it('POST defines a program -> 201 with the program and a position', async () => {
    const response = await t.admin().post('/v1/programs').send(full).expect(201);
    expect(response.body).toEqual({ ...full, position: expect.stringMatching(POSITION) });
    expect((await lastEvent('program-gold')).type).toBe('ProgramDefined');
  });

  it('fills in defaults and generates an id when none is given', async () => {
    const response = await t
      .admin()
      .post('/v1/programs')
      .send({ name: 'Plain', default: rule('1') })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Plain',
      notes: null,
      priority: 0,
      default: rule('1'),
      products: {},
      position: expect.stringMatching(POSITION),
    });
    await t.admin().get(`/v1/programs/${response.body.id}`).expect(200);
  });

  it('GET lists programs and gets one; unknown -> 404', async () => {
    const list = await t.admin().get('/v1/programs').expect(200);
    expect(list.body).toEqual(expect.arrayContaining([full]));
    expect((await t.admin().get('/v1/programs/gold').expect(200)).body).toEqual(full);
    await t.admin().get('/v1/programs/nope').expect(404);
  });

  it('a retried POST with the same content answers 201 with the program; other content -> 409', async () => {
    const before = await eventCount();
    const retry = await t.admin().post('/v1/programs').send(full).expect(201);
    expect(retry.body).toEqual({ ...full, position: expect.stringMatching(POSITION) });
    expect(await eventCount()).toBe(before);
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/programs')
          .send({ ...full, priority: 2 }),
      409,
    );
    expect((await t.admin().get('/v1/programs/gold')).body.priority).toBe(1);
  });

  it('concurrent identical POSTs (a retry racing its original) all answer 201 with one program', async () => {
    const body = { id: 'raced', name: 'Raced', default: rule('2') };
    const before = await eventCount();
    const responses = await Promise.all([1, 2, 3, 4].map(() => t.admin().post('/v1/programs').send(body)));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.body.position)).size).toBe(1);
    expect(await eventCount()).toBe(before + 1);
  });

  it('concurrent identical PUTs of a program write it once and answer alike', async () => {
    await createProgram('raced-put');
    const body = { name: 'Raced 2', default: rule('4') };
    const before = await eventCount();
    const responses = await Promise.all(
      [1, 2, 3].map(() => t.admin().put('/v1/programs/raced-put').send(body)),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const response of responses) expect(response.body).toEqual(responses[0]?.body);
    expect(await eventCount()).toBe(before + 1);
  });

  it('PUT replaces a program -> 200; unknown -> 404; another id in the body -> 400', async () => {
    await createProgram('silver');
    const replaced = { name: 'Silver 2', priority: 5, products: { basic: rule('3') } };
    const response = await t.admin().put('/v1/programs/silver').send(replaced).expect(200);
    const expected = { id: 'silver', notes: null, default: null, ...replaced };
    expect(response.body).toEqual({ ...expected, position: expect.stringMatching(POSITION) });
    expect((await t.admin().get('/v1/programs/silver')).body).toEqual(expected);
    await expectRefused(() => t.admin().put('/v1/programs/missing').send(replaced), 404);
    await expectRefused(
      () =>
        t
          .admin()
          .put('/v1/programs/silver')
          .send({ ...replaced, id: 'gold' }),
      400,
      ['id'],
    );
    await t
      .admin()
      .put('/v1/programs/silver')
      .send({ ...replaced, id: 'silver' })
      .expect(200);
  });

  it.each([
    ['a percent with 5 decimals', { default: rule('12.34567') }, ['default.sale[0].percent']],
    ['a percent above 100', { default: rule('101') }, ['default.sale[0].percent']],
    ['a numeric percent', { default: { sale: [{ percent: 10 }] } }, ['default.sale[0].percent']],
    ['a negative flat', { default: { sale: [{ flat: -1 }] } }, ['default.sale[0].flat']],
    ['a fractional flat', { default: { sale: [{ flat: 1.5 }] } }, ['default.sale[0].flat']],
    ['an empty rate', { default: { sale: [{}] } }, ['default.sale[0]']],
    [
      '4 levels',
      { default: { sale: [{ flat: 1 }, { flat: 1 }, { flat: 1 }, { flat: 1 }] } },
      ['default.sale'],
    ],
    ['a rule without sale', { default: { lead: [{ flat: 1 }] } }, ['default.sale']],
    [
      'a negative maxRenewals',
      { default: { sale: [{ flat: 1 }], maxRenewals: -1 } },
      ['default.maxRenewals'],
    ],
    ['an unknown rule field', { default: { sale: [{ flat: 1 }], bonus: 1 } }, ['default.bonus']],
    [
      'a bad product rule',
      { products: { premium: { sale: [{ flat: 1 }, { percent: '1.23456' }] } } },
      ['products.premium.sale[1].percent'],
    ],
    ['an unknown field', { colour: 'red' }, ['colour']],
    ['a bad id', { id: 'a b' }, ['id']],
    ['a fractional priority', { priority: 1.5 }, ['priority']],
    ['a missing name', { name: undefined }, ['name']],
  ])('refuses %s -> 400 with the path, nothing stored', async (_label, change, paths) => {
    const body = { id: 'bad-program', name: 'Bad', default: rule('1'), ...change };
    await expectRefused(() => t.admin().post('/v1/programs').send(body), 400, paths);
    await t.admin().get('/v1/programs/bad-program').expect(404);
  });
});

describe('partners', () => {
  beforeAll(async () => {
    await createProgram('base');
    await createProgram('extra', { priority: 3 });
  });

  it('POST enrolls a partner with defaults -> 201 with a position', async () => {
    const response = await t
      .admin()
      .post('/v1/partners')
      .send({ id: 'alice', code: 'alice', name: 'Alice', programIds: ['base'] })
      .expect(201);
    expect(response.body).toEqual({
      id: 'alice',
      code: 'alice',
      name: 'Alice',
      email: null,
      parentId: null,
      programIds: ['base'],
      status: 'active',
      leadCookieDays: null,
      notifyOnLead: false,
      notifyOnSale: false,
      hasPassword: false,
      enrolledAt: expect.any(String),
      updatedAt: expect.any(String),
      position: expect.stringMatching(POSITION),
    });
    expect((await lastEvent('partner-alice')).type).toBe('PartnerEnrolled');
  });

  it('generates an id when none is given', async () => {
    const response = await enroll({ code: 'noid', name: 'No id' });
    expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
    await t.admin().get(`/v1/partners/${response.body.id}`).expect(200);
  });

  it('stores a password only as a bcrypt hash, never in an event or a response', async () => {
    const password = 'correct horse battery';
    const response = await enroll({
      id: 'bob',
      code: 'Bob_2',
      name: 'Bob',
      email: 'bob@example.com',
      parentId: 'alice',
      programIds: ['extra', 'base'],
      status: 'inactive',
      leadCookieDays: 30,
      notifyOnLead: true,
      notifyOnSale: true,
      password,
    });
    expect(response.body).toMatchObject({
      id: 'bob',
      code: 'Bob_2',
      email: 'bob@example.com',
      parentId: 'alice',
      programIds: ['extra', 'base'],
      status: 'inactive',
      leadCookieDays: 30,
      notifyOnLead: true,
      notifyOnSale: true,
      hasPassword: true,
    });
    const { rows } = await db.query<{ password_hash: string }>(
      'SELECT password_hash FROM partner_credentials WHERE partner_id = $1',
      ['bob'],
    );
    const hash = rows[0]!.password_hash;
    expect(hash).toMatch(/^\$2[aby]\$10\$/);
    expect(await compare(password, hash)).toBe(true);

    const event = await db.query('SELECT data::text AS data FROM events WHERE stream_id = $1', [
      'partner-bob',
    ]);
    for (const text of [JSON.stringify(response.body), (event.rows[0] as { data: string }).data]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(hash);
      expect(text).not.toMatch(/"password/i);
    }
    for (const path of ['/v1/partners/bob', '/v1/partners']) {
      const body = JSON.stringify((await t.admin().get(path).expect(200)).body);
      expect(body).not.toContain(hash);
      expect(body).not.toMatch(/"password/);
    }
  });

  it('GET lists partners and gets one; unknown -> 404', async () => {
    const list = await t.admin().get('/v1/partners').expect(200);
    expect(list.body.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['alice', 'bob']));
    expect((await t.admin().get('/v1/partners/alice').expect(200)).body).toMatchObject({ code: 'alice' });
    await t.admin().get('/v1/partners/nobody').expect(404);
  });

  it.each([
    ['a code starting with a digit', { code: '9abc' }, ['code']],
    ['a code with a space', { code: 'a b' }, ['code']],
    ['a code with a dot', { code: 'a.b' }, ['code']],
    ['no programs', { programIds: [] }, ['programIds']],
    ['a bad status', { status: 'paused' }, ['status']],
    ['a negative leadCookieDays', { leadCookieDays: -1 }, ['leadCookieDays']],
    ['a fractional leadCookieDays', { leadCookieDays: 1.5 }, ['leadCookieDays']],
    ['a bad email', { email: 'not-an-email' }, ['email']],
    ['a short password', { password: 'short' }, ['password']],
    ['a non-boolean flag', { notifyOnSale: 'yes' }, ['notifyOnSale']],
    ['an unknown field', { colour: 'red' }, ['colour']],
    ['a bad id', { id: 'a/b' }, ['id']],
  ])('refuses %s -> 400 with the path, nothing stored', async (_label, change, paths) => {
    const body = { id: 'refused', code: 'refused', name: 'Refused', programIds: ['base'], ...change };
    await expectRefused(() => t.admin().post('/v1/partners').send(body), 400, paths);
    await t.admin().get('/v1/partners/refused').expect(404);
  });

  it('refuses a taken code, in any case -> 409, nothing stored', async () => {
    for (const code of ['alice', 'ALICE', 'Alice']) {
      await expectRefused(
        () =>
          t
            .admin()
            .post('/v1/partners')
            .send({ id: `dup-${code}`, code, name: 'Dup', programIds: ['base'] }),
        409,
      );
      await t.admin().get(`/v1/partners/dup-${code}`).expect(404);
    }
  });

  it.each([
    ['an unknown parent', { parentId: 'ghost' }, 'parentId'],
    ['itself as parent', { parentId: 'carol' }, 'parentId'],
    ['an unknown program', { programIds: ['base', 'ghost'] }, 'programIds[1]'],
  ])('refuses %s -> 422, nothing stored', async (_label, change, path) => {
    const body = { id: 'carol', code: 'carol', name: 'Carol', programIds: ['base'], ...change };
    await expectRefused(() => t.admin().post('/v1/partners').send(body), 422, [path]);
    await t.admin().get('/v1/partners/carol').expect(404);
  });

  it('a retried POST with the same content answers 201; other content -> 409', async () => {
    const body = { id: 'dave', code: 'dave', name: 'Dave', programIds: ['base'], password: 'dave-secret-1' };
    const first = await t.admin().post('/v1/partners').send(body).expect(201);
    const before = await eventCount();
    const retry = await t.admin().post('/v1/partners').send(body).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(await eventCount()).toBe(before);
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/partners')
          .send({ ...body, name: 'David' }),
      409,
    );
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/partners')
          .send({ ...body, password: 'other-secret' }),
      409,
    );
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/partners')
          .send({ ...body, code: 'dave2' }),
      409,
    );
    expect((await t.admin().get('/v1/partners/dave')).body.name).toBe('Dave');
  });

  it('PATCH changes fields -> 200, recording only the changed ones', async () => {
    await enroll({ id: 'erin', code: 'erin', name: 'Erin', email: 'erin@example.com' });
    const response = await t
      .admin()
      .patch('/v1/partners/erin')
      .send({
        name: 'Erin E.',
        email: 'erin@example.com',
        status: 'inactive',
        leadCookieDays: 60,
        notifyOnSale: true,
      })
      .expect(200);
    expect(response.body).toMatchObject({
      id: 'erin',
      code: 'erin',
      name: 'Erin E.',
      status: 'inactive',
      leadCookieDays: 60,
      notifyOnSale: true,
      notifyOnLead: false,
      position: expect.stringMatching(POSITION),
    });
    const event = await lastEvent('partner-erin');
    expect(event).toEqual({
      type: 'PartnerChanged',
      data: {
        partnerId: 'erin',
        changes: { name: 'Erin E.', status: 'inactive', leadCookieDays: 60, notifyOnSale: true },
      },
    });
    expect((await t.admin().get('/v1/partners/erin')).body).toMatchObject({
      name: 'Erin E.',
      status: 'inactive',
    });
  });

  it('PATCH sets and clears parent, email and leadCookieDays with null', async () => {
    await t
      .admin()
      .patch('/v1/partners/erin')
      .send({ parentId: 'alice', programIds: ['extra'] })
      .expect(200);
    const cleared = await t
      .admin()
      .patch('/v1/partners/erin')
      .send({ parentId: null, email: null, leadCookieDays: null })
      .expect(200);
    expect(cleared.body).toMatchObject({
      parentId: null,
      email: null,
      leadCookieDays: null,
      programIds: ['extra'],
    });
  });

  it('a PATCH that changes nothing answers 200 and records nothing', async () => {
    const before = await eventCount();
    const response = await t.admin().patch('/v1/partners/erin').send({ name: 'Erin E.' }).expect(200);
    expect(response.body.position).toMatch(POSITION);
    await t.admin().patch('/v1/partners/erin').send({}).expect(200);
    expect(await eventCount()).toBe(before);
  });

  it('PATCH sets a password as a hash, without an event', async () => {
    const before = await eventCount();
    const response = await t
      .admin()
      .patch('/v1/partners/erin')
      .send({ password: 'erin-password' })
      .expect(200);
    expect(response.body.hasPassword).toBe(true);
    expect(JSON.stringify(response.body)).not.toContain('erin-password');
    expect(await eventCount()).toBe(before);
    const { rows } = await db.query<{ password_hash: string }>(
      'SELECT password_hash FROM partner_credentials WHERE partner_id = $1',
      ['erin'],
    );
    expect(await compare('erin-password', rows[0]!.password_hash)).toBe(true);
  });

  it('PATCH refusals: 404 unknown partner, 400 bad fields, 422 unknown parent/program, self-parent, cycle', async () => {
    await expectRefused(() => t.admin().patch('/v1/partners/ghost').send({ name: 'x' }), 404);
    await expectRefused(() => t.admin().patch('/v1/partners/erin').send({ code: 'other' }), 400, ['code']);
    await expectRefused(() => t.admin().patch('/v1/partners/erin').send({ name: null }), 400, ['name']);
    await expectRefused(() => t.admin().patch('/v1/partners/erin').send({ status: 'gone' }), 400, ['status']);
    await expectRefused(() => t.admin().patch('/v1/partners/erin').send({ parentId: 'ghost' }), 422, [
      'parentId',
    ]);
    await expectRefused(() => t.admin().patch('/v1/partners/erin').send({ parentId: 'erin' }), 422, [
      'parentId',
    ]);
    await expectRefused(
      () =>
        t
          .admin()
          .patch('/v1/partners/erin')
          .send({ programIds: ['ghost'] }),
      422,
      ['programIds[0]'],
    );

    // top <- mid <- low: making top a child of low would close a cycle.
    await enroll({ id: 'top', code: 'top', name: 'Top' });
    await enroll({ id: 'mid', code: 'mid', name: 'Mid', parentId: 'top' });
    await enroll({ id: 'low', code: 'low', name: 'Low', parentId: 'mid' });
    const response = await expectRefused(
      () => t.admin().patch('/v1/partners/top').send({ parentId: 'low' }),
      422,
      ['parentId'],
    );
    expect(response.body).toMatchObject({ status: 422, code: 'partner-cycle' });
    expect((await t.admin().get('/v1/partners/top')).body.parentId).toBeNull();
  });

  it('serializes concurrent parent changes, so that they cannot build a cycle', async () => {
    for (let round = 0; round < 5; round++) {
      await enroll({ id: `x${round}`, code: `x${round}`, name: 'X' });
      await enroll({ id: `y${round}`, code: `y${round}`, name: 'Y' });
      const [a, b] = await Promise.all([
        t
          .admin()
          .patch(`/v1/partners/x${round}`)
          .send({ parentId: `y${round}` }),
        t
          .admin()
          .patch(`/v1/partners/y${round}`)
          .send({ parentId: `x${round}` }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 422]);
    }
  });
});

describe('links and ads', () => {
  beforeAll(async () => {
    await createProgram('link-program');
    await enroll({ id: 'frank', code: 'frank', name: 'Frank' });
  });

  const link = {
    id: 'spring',
    code: 'Spring-Sale',
    name: 'Spring sale',
    destinationUrl: 'https://shop.example.com/spring?utm=x',
    programId: 'link-program',
  };

  it('POST /v1/links defines a link -> 201; GET lists it', async () => {
    const response = await t.admin().post('/v1/links').send(link).expect(201);
    expect(response.body).toEqual({
      ...link,
      definedAt: expect.any(String),
      position: expect.stringMatching(POSITION),
    });
    const generated = await t
      .admin()
      .post('/v1/links')
      .send({ code: 'home', name: 'Home', destinationUrl: 'http://shop.example.com/' })
      .expect(201);
    expect(generated.body).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), programId: null });
    const list = await t.admin().get('/v1/links').expect(200);
    expect(list.body.map((l: { code: string }) => l.code)).toEqual(
      expect.arrayContaining(['Spring-Sale', 'home']),
    );
  });

  it('a retried POST answers 201 with the link; other content -> 409', async () => {
    const before = await eventCount();
    await t.admin().post('/v1/links').send(link).expect(201);
    expect(await eventCount()).toBe(before);
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/links')
          .send({ ...link, name: 'Other' }),
      409,
    );
  });

  it.each([
    ['an ftp URL', { destinationUrl: 'ftp://shop.example.com/' }, ['destinationUrl']],
    ['a relative URL', { destinationUrl: '/spring' }, ['destinationUrl']],
    ['not a URL', { destinationUrl: 'not a url' }, ['destinationUrl']],
    ['a bad code', { code: 'a b' }, ['code']],
    ['a missing name', { name: undefined }, ['name']],
    ['an unknown field', { colour: 'red' }, ['colour']],
  ])('refuses %s -> 400, nothing stored', async (_label, change, paths) => {
    const body = {
      id: 'bad-link',
      code: 'bad-link',
      name: 'Bad',
      destinationUrl: 'https://x.example.com',
      ...change,
    };
    await expectRefused(() => t.admin().post('/v1/links').send(body), 400, paths);
  });

  it('refuses a taken code (any case) -> 409 and an unknown program -> 422', async () => {
    const body = { id: 'other-link', name: 'Other', destinationUrl: 'https://x.example.com' };
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/links')
          .send({ ...body, code: 'spring-sale' }),
      409,
    );
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/links')
          .send({ ...body, code: 'other', programId: 'ghost' }),
      422,
      ['programId'],
    );
    const codes = (await t.admin().get('/v1/links')).body.map((l: { id: string }) => l.id);
    expect(codes).not.toContain('other-link');
  });

  it('concurrent POSTs of one code define one link; the others get 409', async () => {
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        t
          .admin()
          .post('/v1/links')
          .send({ id: `race-${n}`, code: 'race', name: 'Race', destinationUrl: 'https://x.example.com' }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('concurrent identical POSTs of a link (a retry racing its original) answer 201 alike with one event', async () => {
    const body = {
      id: 'raced-link',
      code: 'raced-link',
      name: 'Raced',
      destinationUrl: 'https://x.example.com',
    };
    const before = await eventCount();
    const responses = await Promise.all([1, 2, 3, 4].map(() => t.admin().post('/v1/links').send(body)));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    for (const response of responses) expect(response.body).toEqual(responses[0]?.body);
    expect(await eventCount()).toBe(before + 1);
  });

  it('POST /v1/partners/:id/ads creates an ad -> 201 with its tracking URL', async () => {
    await t.admin().patch('/v1/settings').send({ codePrefix: 'rp-' }).expect(200);
    const response = await t
      .admin()
      .post('/v1/partners/frank/ads')
      .send({ id: 'ad:1', linkId: 'spring', name: 'Newsletter', medium: 'email' })
      .expect(201);
    expect(response.body).toEqual({
      id: 'ad:1',
      partnerId: 'frank',
      linkId: 'spring',
      name: 'Newsletter',
      medium: 'email',
      createdAt: expect.any(String),
      trackingUrl: 'https://track.example.com/r/rp-frank/Spring-Sale?ad=ad:1',
      position: expect.stringMatching(POSITION),
    });
    expect((await lastEvent('ad-ad:1')).type).toBe('AdCreated');
    const before = await eventCount();
    await t
      .admin()
      .post('/v1/partners/frank/ads')
      .send({ id: 'ad:1', linkId: 'spring', name: 'Newsletter', medium: 'email' })
      .expect(201);
    expect(await eventCount()).toBe(before);
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/partners/frank/ads')
          .send({ id: 'ad:1', linkId: 'spring', name: 'Other', medium: 'ppc' }),
      409,
    );
  });

  it('concurrent identical POSTs of an ad answer 201 alike with one event; other content 409', async () => {
    await enroll({ id: 'raced-ads', code: 'raced-ads', name: 'Raced' });
    const body = { id: 'ad:raced', linkId: 'spring', name: 'Raced', medium: 'email' };
    const before = await eventCount();
    const responses = await Promise.all(
      [1, 2, 3, 4].map(() => t.admin().post('/v1/partners/raced-ads/ads').send(body)),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    for (const response of responses) expect(response.body).toEqual(responses[0]?.body);
    expect(await eventCount()).toBe(before + 1);
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/partners/raced-ads/ads')
          .send({ ...body, medium: 'ppc' }),
      409,
    );
  });

  it('refuses an ad: unknown partner 404, unknown link 422, bad medium 400', async () => {
    const ad = { linkId: 'spring', name: 'Banner', medium: 'banner' };
    await expectRefused(() => t.admin().post('/v1/partners/ghost/ads').send(ad), 404);
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/partners/frank/ads')
          .send({ ...ad, linkId: 'ghost' }),
      422,
      ['linkId'],
    );
    await expectRefused(
      () =>
        t
          .admin()
          .post('/v1/partners/frank/ads')
          .send({ ...ad, medium: 'billboard' }),
      400,
      ['medium'],
    );
  });

  it('GET /v1/partners/:id/ads and /links give every link with the partner tracking URL and its ad URLs', async () => {
    const ads = await t.admin().get('/v1/partners/frank/ads').expect(200);
    expect(ads.body).toEqual([
      expect.objectContaining({
        id: 'ad:1',
        trackingUrl: 'https://track.example.com/r/rp-frank/Spring-Sale?ad=ad:1',
      }),
    ]);
    const links = await t.admin().get('/v1/partners/frank/links').expect(200);
    const spring = links.body.find((l: { id: string }) => l.id === 'spring');
    expect(spring).toMatchObject({
      code: 'Spring-Sale',
      destinationUrl: link.destinationUrl,
      trackingUrl: 'https://track.example.com/r/rp-frank/Spring-Sale',
      ads: [
        {
          id: 'ad:1',
          medium: 'email',
          trackingUrl: 'https://track.example.com/r/rp-frank/Spring-Sale?ad=ad:1',
        },
      ],
    });
    const home = links.body.find((l: { code: string }) => l.code === 'home');
    expect(home).toMatchObject({ trackingUrl: 'https://track.example.com/r/rp-frank/home', ads: [] });
    expect(links.body).toHaveLength((await t.admin().get('/v1/links')).body.length);
    await t.admin().get('/v1/partners/ghost/links').expect(404);
    await t.admin().get('/v1/partners/ghost/ads').expect(404);
  });
});

describe('roles', () => {
  const writes: [string, string, Record<string, unknown>][] = [
    ['patch', '/v1/settings', { levels: 1 }],
    ['post', '/v1/programs', { name: 'P', default: rule('1') }],
    ['put', '/v1/programs/gold', { name: 'P' }],
    ['post', '/v1/partners', { code: 'rolecheck', name: 'R', programIds: ['base'] }],
    ['patch', '/v1/partners/alice', { name: 'R' }],
    ['post', '/v1/links', { code: 'rolecheck', name: 'R', destinationUrl: 'https://x.example.com' }],
    ['post', '/v1/partners/alice/ads', { linkId: 'spring', name: 'R', medium: 'other' }],
  ];
  const reads = [
    '/v1/settings',
    '/v1/programs',
    '/v1/programs/gold',
    '/v1/partners',
    '/v1/partners/alice',
    '/v1/partners/alice/links',
    '/v1/partners/alice/ads',
    '/v1/links',
  ];

  const send = (key: string, method: string, path: string, body: Record<string, unknown>) => {
    const agent = t.as(key);
    if (method === 'patch') return agent.patch(path).send(body);
    if (method === 'put') return agent.put(path).send(body);
    return agent.post(path).send(body);
  };

  it('an ingest key gets 403 on every configuration endpoint', async () => {
    const key = await keyFor('ingest');
    for (const [method, path, body] of writes) {
      await expectRefused(() => send(key, method, path, body), 403);
    }
    for (const path of reads) await t.as(key).get(path).expect(403);
  });

  it('an auditor key can GET but not write', async () => {
    const key = await keyFor('auditor');
    for (const path of reads) await t.as(key).get(path).expect(200);
    for (const [method, path, body] of writes) {
      await expectRefused(() => send(key, method, path, body), 403);
    }
  });

  it('no key -> 401', async () => {
    await t.http().get('/v1/settings').expect(401);
    await t.http().post('/v1/partners').send({}).expect(401);
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const paths = Object.keys((await t.http().get('/docs-json').expect(200)).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/settings',
        '/v1/programs',
        '/v1/programs/{id}',
        '/v1/partners',
        '/v1/partners/{id}',
        '/v1/partners/{id}/links',
        '/v1/partners/{id}/ads',
        '/v1/links',
      ]),
    );
  });
});
