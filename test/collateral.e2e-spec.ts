import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app';
import { createLink, createPartner, createProgram, uniqueId } from './support/fixtures';
import { bannerSvg, solidPng } from './support/images';

let t: TestApp;
let link: { id: string; code: string };
let token: string;
let partnerCode: string;

beforeAll(async () => {
  t = await startTestApp();
  const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
  link = await createLink(t, { code: 'aaa-first' });
  await createLink(t, { code: 'zzz-second' });
  partnerCode = `c${uniqueId('x').replace(/-/g, '')}`;
  await createPartner(t, { code: partnerCode, programIds: [program], password: 'partner secret' } as never);
  const login = await t
    .http()
    .post('/v1/partner-center/login')
    .send({ code: partnerCode, password: 'partner secret' })
    .expect(200);
  token = login.body.token as string;
});

afterAll(async () => {
  await t.close();
});

const png = solidPng(468, 60, [29, 78, 216]);

describe('POST /v1/collateral', () => {
  it('stores a banner by content: metadata and hash in the event, bytes served with their type', async () => {
    const added = await t
      .admin()
      .post('/v1/collateral')
      .field('kind', 'banner')
      .field('name', 'Spring banner')
      .field('linkId', link.id)
      .attach('file', png, { filename: 'spring.txt', contentType: 'text/plain' });
    expect(added.status).toBe(201);
    const sha256 = createHash('sha256').update(png).digest('hex');
    expect(added.body).toMatchObject({
      id: expect.any(String),
      kind: 'banner',
      name: 'Spring banner',
      linkId: link.id,
      file: { sha256, contentType: 'image/png', sizeBytes: png.length, width: 468, height: 60 },
      email: null,
      removedAt: null,
      fileUrl: `https://track.example.com/collateral/${sha256}.png`,
      position: expect.any(String),
    });

    const file = await t.http().get(`/collateral/${sha256}.png`).expect(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(file.headers['etag']).toBe(`"${sha256}"`);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(file.body as Buffer, png)).toBe(0);
    await t.http().get(`/collateral/${sha256}.png`).set('If-None-Match', `"${sha256}"`).expect(304);
    await t.http().get(`/collateral/${sha256}.gif`).expect(404);
    await t
      .http()
      .get(`/collateral/${'0'.repeat(64)}.png`)
      .expect(404);
    const download = await t.http().get(`/collateral/${sha256}.png?download=1`).expect(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${sha256}.png"`);

    const events = await t.admin().get('/v1/audit/events?limit=1000').expect(200);
    const event = (events.body.events as { type: string; data: Record<string, unknown> }[]).find(
      (e) => e.type === 'CollateralAdded',
    );
    expect(event?.data).toEqual({
      collateralId: added.body.id,
      kind: 'banner',
      name: 'Spring banner',
      linkId: link.id,
      file: { sha256, contentType: 'image/png', sizeBytes: png.length, width: 468, height: 60 },
      email: null,
    });
  });

  it('accepts a plain SVG and refuses one with a script, other files and oversized ones', async () => {
    const svg = await t
      .admin()
      .post('/v1/collateral')
      .field('kind', 'banner')
      .field('name', 'Vector banner')
      .attach('file', bannerSvg('Spring sale'), 'banner.svg')
      .expect(201);
    expect(svg.body.file).toMatchObject({ contentType: 'image/svg+xml', width: 468, height: 60 });
    const served = await t.http().get(`/collateral/${svg.body.file.sha256}.svg`).expect(200);
    expect(served.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(served.headers['content-security-policy']).toContain("default-src 'none'");

    const scripted = await t
      .admin()
      .post('/v1/collateral')
      .field('kind', 'banner')
      .field('name', 'Evil')
      .attach(
        'file',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'x.svg',
      )
      .expect(415);
    expect(scripted.body.detail).toBe('Not an accepted banner: SVG with a script is refused');
    await t
      .admin()
      .post('/v1/collateral')
      .field('kind', 'banner')
      .field('name', 'PDF')
      .attach('file', Buffer.from('%PDF-1.7 ...'), { filename: 'x.png', contentType: 'image/png' })
      .expect(415);
    const big = await t
      .admin()
      .post('/v1/collateral')
      .field('kind', 'banner')
      .field('name', 'Huge')
      .attach('file', Buffer.concat([png, Buffer.alloc(600 * 1024)]), 'huge.png')
      .expect(413);
    expect(big.headers['content-type']).toMatch(/problem\+json/);
    await t.admin().post('/v1/collateral').field('kind', 'banner').field('name', 'No file').expect(400);
    await t
      .admin()
      .post('/v1/collateral')
      .field('kind', 'banner')
      .field('name', 'Bad link')
      .field('linkId', 'no-such-link')
      .attach('file', png, 'x.png')
      .expect(422);
  });

  it('stores email copy that has the placeholder', async () => {
    await t
      .admin()
      .post('/v1/collateral')
      .field('kind', 'email')
      .field('name', 'No placeholder')
      .field('body', 'Buy now')
      .expect(400);
    const email = await t
      .admin()
      .post('/v1/collateral')
      .field('kind', 'email')
      .field('name', 'Launch email')
      .field('subject', 'Spring is here')
      .field('body', 'Hi!\n\nSee the offer: {{trackingUrl}}\n\nBye')
      .expect(201);
    expect(email.body).toMatchObject({
      kind: 'email',
      file: null,
      fileUrl: null,
      email: { subject: 'Spring is here', body: 'Hi!\n\nSee the offer: {{trackingUrl}}\n\nBye' },
    });
  });
});

describe('GET /v1/me/collateral and DELETE /v1/collateral/:id', () => {
  it('gives the partner its snippets with its tracking URL, and removal hides them but keeps history', async () => {
    const mine = await t.as(token).get('/v1/me/collateral').expect(200);
    const byName = new Map(
      (mine.body as { name: string }[]).map((c) => [c.name, c as Record<string, string>]),
    );
    const url = `https://track.example.com/r/${partnerCode}/${link.code}`;
    const banner = byName.get('Spring banner')!;
    expect(banner.trackingUrl).toBe(url);
    expect(banner.snippet).toBe(
      `<a href="${url}"><img src="${banner.fileUrl}" alt="Spring banner" width="468" height="60"></a>`,
    );
    // No link of its own: the partner's first link (by code).
    expect(byName.get('Vector banner')!.trackingUrl).toBe(url);
    const email = byName.get('Launch email')!;
    expect(email.snippet).toBe(`Hi!\n\nSee the offer: ${url}\n\nBye`);
    expect(email.subject).toBe('Spring is here');

    await t.admin().get('/v1/me/collateral').expect(403);
    const removed = await t.admin().delete(`/v1/collateral/${banner.id}`).expect(200);
    expect(removed.body.removedAt).toEqual(expect.any(String));
    const again = await t.admin().delete(`/v1/collateral/${banner.id}`).expect(200);
    expect(again.body.position).toBeNull();
    await t.admin().delete('/v1/collateral/nope').expect(404);

    const after = await t.as(token).get('/v1/me/collateral').expect(200);
    expect((after.body as { id: string }[]).map((c) => c.id)).not.toContain(banner.id);
    const current = await t.admin().get('/v1/collateral').expect(200);
    expect((current.body as { id: string }[]).map((c) => c.id)).not.toContain(banner.id);
    const all = await t.admin().get('/v1/collateral?includeRemoved=true').expect(200);
    expect(
      (all.body as { id: string; removedAt: string | null }[]).find((c) => c.id === banner.id)?.removedAt,
    ).toEqual(removed.body.removedAt);
    const events = await t.admin().get('/v1/audit/events?limit=1000').expect(200);
    expect((events.body.events as { type: string }[]).map((e) => e.type)).toEqual(
      expect.arrayContaining(['CollateralAdded', 'CollateralRemoved']),
    );
    // The file of removed collateral still answers, for pages that embed it.
    await t
      .http()
      .get(`/collateral/${banner.fileUrl!.split('/').pop()}`)
      .expect(200);
  });
});
