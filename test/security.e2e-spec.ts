/**
 * Every route declares who may call it, and the guard enforces it: a table of every route of the real
 * app, called with no key, a bad key and each role.
 */
import type { Role } from '../libs/core/src/auth/roles.decorator';
import { type Route, discoverRoutes } from './support/routes';
import { createPartner, createProgram, uniqueId } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
const keys: Partial<Record<Role, string>> = {};

function call(route: Route, key?: string) {
  const url = route.path.replace(/:[A-Za-z]+/g, 'some-id');
  const agent = key ? t.as(key) : t.http();
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  return agent[method](url).send(method === 'get' || method === 'delete' ? undefined : {});
}

let routes: Route[] = [];

beforeAll(async () => {
  t = await startTestApp();
  routes = discoverRoutes(t.app);
  keys.admin = 'test-admin-key-0123456789abcdef';
  for (const role of ['ingest', 'auditor'] as const) {
    keys[role] = (
      await t
        .admin()
        .post('/v1/api-keys')
        .send({ name: `${role}-key`, role })
        .expect(201)
    ).body.key as string;
  }
  const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
  const code = `sec${uniqueId('x').replace(/-/g, '')}`;
  await createPartner(t, {
    code,
    programIds: [program],
    ...({ password: 'correct horse battery' } as object),
  });
  const login = await t
    .http()
    .post('/v1/partner-center/login')
    .send({ code, password: 'correct horse battery' })
    .expect(200);
  keys.partner = login.body.token as string;
});

afterAll(async () => {
  await t.close();
});

describe('route table', () => {
  it('finds the routes of the app', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('POST /v1/events');
  });

  it('has a declared role or @Public() on every route', () => {
    const undeclared = routes
      .filter((r) => !r.isPublic && r.roles === null)
      .map((r) => `${r.method} ${r.path} (${r.name})`);
    expect(undeclared).toEqual([]);
  });

  it('keeps public only what must be public', () => {
    const publicRoutes = routes
      .filter((r) => r.isPublic)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(publicRoutes).toEqual([
      'GET /collateral/:file',
      'GET /health',
      'GET /health/ready', // for orchestrators' readiness probes, like /health
      'GET /r/:partnerRef/:linkCode',
      'POST /v1/partner-center/login',
      'POST /v1/partner-center/signup',
    ]);
  });
});

describe('every protected route', () => {
  it('answers 401 without a key and with a bad key', async () => {
    for (const route of routes.filter((r) => !r.isPublic)) {
      const none = await call(route);
      expect([route.name, none.status]).toEqual([route.name, 401]);
      expect(none.headers['content-type']).toMatch(/problem\+json/);
      const bad = await call(route, 'rl_not-a-real-key');
      expect([route.name, bad.status]).toEqual([route.name, 401]);
      const forged = await call(route, 'pt.eyJzdWIiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5fQ.forged');
      expect([route.name, forged.status]).toEqual([route.name, 401]);
    }
  });

  it.each(['admin', 'ingest', 'auditor', 'partner'] as const)(
    'lets the %s role in exactly where declared',
    async (role) => {
      for (const route of routes.filter((r) => !r.isPublic)) {
        const allowed =
          role === 'admin' ? !(route.roles ?? []).includes('partner') : (route.roles ?? []).includes(role);
        const response = await call(route, keys[role]);
        if (allowed) {
          expect([
            route.name,
            role,
            [401, 403].includes(response.status) ? response.status : 'not refused',
          ]).toEqual([route.name, role, 'not refused']);
        } else {
          expect([route.name, role, response.status]).toEqual([route.name, role, 403]);
        }
      }
    },
  );
});
