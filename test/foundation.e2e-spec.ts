import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.close();
});

describe('health and docs', () => {
  it('GET /health answers 200 when the database and the projections run', async () => {
    const response = await t.http().get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up', projections: 'running' });
  });

  it('serves the OpenAPI document and its UI without a key', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/health');
    await t.http().get('/docs').expect(200).expect('Content-Type', /html/);
  });
});

describe('errors are problem+json', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const response = await t.http().get('/v1/nothing-here').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const response = await t
      .admin()
      .post('/v1/api-keys')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.status).toBe(400);
  });

  it('refuses unknown fields, naming them', async () => {
    const response = await t
      .admin()
      .post('/v1/api-keys')
      .send({ name: 'a', role: 'ingest', colour: 'red' })
      .expect(400);
    expect(response.body.errors).toEqual([{ path: 'colour', message: expect.any(String) }]);
  });

  it('refuses a request body over the size limit', async () => {
    const big = { name: 'x'.repeat(3 * 1024 * 1024), role: 'ingest' };
    const response = await t.admin().post('/v1/api-keys').send(big).expect(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('sets security headers', async () => {
    const response = await t.http().get('/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

describe('projections operations', () => {
  it('lists projections for admins only', async () => {
    await t.http().get('/v1/admin/projections').expect(401);
    const response = await t.admin().get('/v1/admin/projections').expect(200);
    expect(Array.isArray(response.body)).toBe(true);
  });

  it('404s a rebuild of an unknown projection', async () => {
    await t.admin().post('/v1/admin/projections/nope/rebuild').expect(404);
  });
});

describe('api keys', () => {
  it('creates a key shown once, which then authenticates with its role, and revokes it', async () => {
    const created = await t
      .admin()
      .post('/v1/api-keys')
      .send({ name: 'auditor-1', role: 'auditor' })
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'auditor-1',
      role: 'auditor',
      id: expect.any(String),
      key: expect.any(String),
    });
    const key = created.body.key as string;
    expect(key).not.toBe(ADMIN_KEY);

    // An auditor may not manage keys.
    await t.as(key).get('/v1/api-keys').expect(403);
    const listed = await t.admin().get('/v1/api-keys').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(key);

    await t.admin().delete(`/v1/api-keys/${created.body.id}`).expect(204);
    await t.as(key).get('/v1/api-keys').expect(401);
  });
});
