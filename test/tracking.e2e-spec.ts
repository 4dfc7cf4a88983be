import { Client } from 'pg';
import { startTestApp, type TestApp } from './support/test-app';
import {
  attempt,
  click,
  createLink,
  createPartner,
  createProgram,
  ingest,
  ingestAll,
  optIn,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let programId: string;

beforeAll(async () => {
  t = await startTestApp();
  programId = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
});

afterAll(async () => {
  await t.close();
});

async function eventCount(): Promise<number> {
  const client = new Client({ connectionString: t.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM events');
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

function cookieOf(response: { headers: Record<string, unknown> }): string {
  const cookies = response.headers['set-cookie'] as string[] | undefined;
  return cookies?.find((c) => c.startsWith('rp_vid=')) ?? '';
}

describe('GET /r/:partnerRef/:linkCode', () => {
  it('records the click, sets the visitor cookie and redirects with affiliate=<partnerId>', async () => {
    const code = `Amy${uniqueId('x').replace(/-/g, '')}`;
    const partnerId = await createPartner(t, { code, programIds: [programId], leadCookieDays: 30 });
    const link = await createLink(t, { destinationUrl: 'https://shop.example.com/offer?utm=a' });

    const response = await t
      .http()
      .get(`/r/${code}/${link.code}`)
      .set('User-Agent', 'jest-browser')
      .expect(302);
    const location = new URL(response.headers['location'] as string);
    expect(location.origin + location.pathname).toBe('https://shop.example.com/offer');
    expect(location.searchParams.get('utm')).toBe('a');
    expect(location.searchParams.get('affiliate')).toBe(partnerId);

    const cookie = cookieOf(response);
    expect(cookie).toMatch(/^rp_vid=v_[0-9a-f]{32};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=2592000/);

    // The same browser keeps its visitor id.
    const visitor = cookie.split(';')[0]!;
    const again = await t.http().get(`/r/${code}/${link.code}`).set('Cookie', visitor).expect(302);
    expect(cookieOf(again).split(';')[0]).toBe(visitor);

    // An opt-in of that visitor shows both clicks in the contact's history.
    const contactId = uniqueId('contact');
    await ingestAll(t, [
      optIn(new Date().toISOString(), { contactId, visitorId: visitor.slice('rp_vid='.length) }),
    ]);
    const history = await t.admin().get(`/v1/contacts/${contactId}/referral-history`).expect(200);
    expect(history.body.clicks).toHaveLength(2);
    expect(history.body.clicks[0]).toMatchObject({
      partnerId,
      partnerCode: code,
      linkId: link.id,
      linkCode: link.code,
      adId: null,
      ip: '127.0.0.1',
    });
    expect(history.body.referrals).toEqual([
      expect.objectContaining({ partnerId, source: 'opt-in', clickId: history.body.clicks[0].clickId }),
    ]);
  });

  it('uses a long-lived cookie for a partner whose referrals never expire', async () => {
    const code = `Ben${uniqueId('x').replace(/-/g, '')}`;
    await createPartner(t, { code, programIds: [programId], leadCookieDays: null });
    const link = await createLink(t);
    const response = await t.http().get(`/r/${code}/${link.code}`).expect(302);
    expect(cookieOf(response)).toMatch(/Max-Age=315360000/);
  });

  it('answers 404 for an unknown partner or link and records nothing', async () => {
    const code = `Cy${uniqueId('x').replace(/-/g, '')}`;
    await createPartner(t, { code, programIds: [programId] });
    const link = await createLink(t);
    const before = await eventCount();
    const unknownPartner = await t.http().get(`/r/nobody/${link.code}`).expect(404);
    expect(unknownPartner.headers['content-type']).toMatch(/problem\+json/);
    await t.http().get(`/r/${code}/no-such-link`).expect(404);
    expect(await eventCount()).toBe(before);
  });

  it('records an inactive partner’s click without making it creditable', async () => {
    const code = `Dee${uniqueId('x').replace(/-/g, '')}`;
    await createPartner(t, { code, programIds: [programId], status: 'inactive' });
    const link = await createLink(t);
    const response = await t.http().get(`/r/${code}/${link.code}`).expect(302);
    const visitorId = cookieOf(response).split(';')[0]!.slice('rp_vid='.length);
    const contactId = uniqueId('contact');
    await ingestAll(t, [optIn(new Date().toISOString(), { contactId, visitorId })]);
    const history = await t.admin().get(`/v1/contacts/${contactId}/referral-history`).expect(200);
    expect(history.body.clicks).toEqual([expect.objectContaining({ creditable: false })]);
    expect(history.body.referrals).toEqual([]);
  });

  it('honours the code prefix and records the ad', async () => {
    await t.admin().patch('/v1/settings').send({ codePrefix: 'rp-' }).expect(200);
    try {
      const code = `Eve${uniqueId('x').replace(/-/g, '')}`;
      const partnerId = await createPartner(t, { code, programIds: [programId] });
      const link = await createLink(t);
      const ad = await t
        .admin()
        .post(`/v1/partners/${partnerId}/ads`)
        .send({ linkId: link.id, name: 'Solo mailing', medium: 'solo-ad' })
        .expect(201);
      await t.http().get(`/r/${code}/${link.code}`).expect(404);
      const response = await t.http().get(`/r/rp-${code}/${link.code}?ad=${ad.body.id}`).expect(302);
      const visitorId = cookieOf(response).split(';')[0]!.slice('rp_vid='.length);
      const contactId = uniqueId('contact');
      await ingestAll(t, [optIn(new Date().toISOString(), { contactId, visitorId })]);
      const history = await t.admin().get(`/v1/contacts/${contactId}/referral-history`).expect(200);
      expect(history.body.clicks[0].adId).toBe(ad.body.id);
    } finally {
      await t.admin().patch('/v1/settings').send({ codePrefix: '' }).expect(200);
    }
  });
});

describe('POST /v1/events: the envelope contract', () => {
  let partnerId: string;
  let partnerCode: string;
  let link: { id: string; code: string };

  beforeAll(async () => {
    partnerCode = `Fay${uniqueId('x').replace(/-/g, '')}`;
    partnerId = await createPartner(t, { code: partnerCode, programIds: [programId] });
    link = await createLink(t);
  });

  it('accepts clicks by id or by code, and answers one result per envelope in order', async () => {
    const results = await ingest(t, [
      click('2026-01-10T10:00:00Z', { partnerId, linkId: link.id, visitorId: 'vis-a', ip: '10.0.0.1' }),
      click('2026-01-10T10:05:00Z', {
        partnerCode,
        linkCode: link.code,
        visitorId: 'vis-a',
        userAgent: 'UA',
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(results[0]?.position).toMatch(/^\d+-\d+$/);
  });

  it('reports a retried envelope as a duplicate and a reused id with other content as rejected 409', async () => {
    const envelope = {
      eventId: uniqueId('evt'),
      ...click('2026-01-11T10:00:00Z', { partnerId, linkId: link.id, visitorId: 'vis-dup' }),
    };
    const [first] = await ingest(t, [envelope]);
    const before = await eventCount();
    const [again] = await ingest(t, [envelope]);
    expect(again).toEqual({ eventId: envelope.eventId, status: 'duplicate', position: first?.position });
    const [other] = await ingest(t, [{ ...envelope, data: { ...envelope.data, visitorId: 'vis-other' } }]);
    expect(other).toMatchObject({ status: 'rejected', error: { status: 409 } });
    expect(await eventCount()).toBe(before);
  });

  it('rejects an envelope against a domain rule with 422 while the others count', async () => {
    const before = await eventCount();
    const results = await ingest(t, [
      click('2026-01-12T10:00:00Z', { partnerId: 'no-such-partner', linkId: link.id, visitorId: 'vis-b' }),
      click('2026-01-12T10:00:00Z', { partnerId, linkCode: 'no-such-link', visitorId: 'vis-b' }),
      click('2026-01-12T10:01:00Z', { partnerId, linkId: link.id, visitorId: 'vis-b' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'accepted']);
    expect(results[0]?.error).toMatchObject({ status: 422, code: 'unknown-partner' });
    expect(results[1]?.error).toMatchObject({ status: 422, code: 'unknown-link' });
    expect(await eventCount()).toBe(before + 1);
  });

  it.each([
    [{ type: 'Nope', occurredAt: '2026-01-01T00:00:00Z', data: {} }, 'events[1].type'],
    [
      { type: 'LinkClicked', occurredAt: 'yesterday', data: { partnerId: 'p', linkId: 'l', visitorId: 'v' } },
      'events[1].occurredAt',
    ],
    [
      { type: 'LinkClicked', occurredAt: '2026-01-01T00:00:00Z', data: { partnerId: 'p', linkId: 'l' } },
      'events[1].data.visitorId',
    ],
    [
      {
        type: 'LinkClicked',
        occurredAt: '2026-01-01T00:00:00Z',
        data: { partnerId: 'p', linkId: 'l', visitorId: 'v', ip: 'not-an-ip' },
      },
      'events[1].data.ip',
    ],
    [
      {
        type: 'LinkClicked',
        occurredAt: '2026-01-01T00:00:00Z',
        data: { partnerId: 'p', linkId: 'l', visitorId: 'v', extra: 1 },
      },
      'events[1].data.extra',
    ],
    [
      {
        type: 'PurchaseAttempted',
        occurredAt: '2026-01-01T00:00:00Z',
        data: {
          attemptId: 'a',
          orderId: 'o',
          contactId: 'c',
          kind: 'order',
          currency: 'USD',
          items: [{ productId: 'x', quantity: 1, unitPrice: -1 }],
        },
      },
      'events[1].data.items[0].unitPrice',
    ],
    [
      {
        type: 'PurchaseAttempted',
        occurredAt: '2026-01-01T00:00:00Z',
        data: {
          attemptId: 'a',
          orderId: 'o',
          contactId: 'c',
          kind: 'renewal',
          currency: 'USD',
          items: [{ productId: 'x', quantity: 1, unitPrice: 1 }],
        },
      },
      'events[1].data.subscriptionId',
    ],
    [
      {
        type: 'RefundIssued',
        occurredAt: '2026-01-01T00:00:00Z',
        data: { refundId: 'r', attemptId: 'a', amount: 0, currency: 'USD' },
      },
      'events[1].data.amount',
    ],
  ])('answers 400 naming %#: %s and stores nothing', async (bad, path) => {
    const before = await eventCount();
    const good = {
      eventId: uniqueId('evt'),
      ...click('2026-01-13T10:00:00Z', { partnerId, linkId: link.id, visitorId: 'vis-c' }),
    };
    const response = await t
      .admin()
      .post('/v1/events')
      .send({ events: [good, { eventId: uniqueId('evt'), ...bad }] })
      .expect(400);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect((response.body.errors as { path: string }[]).map((e) => e.path)).toContain(path);
    expect(await eventCount()).toBe(before);
  });

  it('answers 400 for an empty batch, more than 1000 envelopes, or a bad event id', async () => {
    await t.admin().post('/v1/events').send({ events: [] }).expect(400);
    const many = Array.from({ length: 1001 }, (_, i) => ({
      eventId: `e${i}`,
      ...click('2026-01-01T00:00:00Z', { partnerId, linkId: link.id, visitorId: 'v' }),
    }));
    await t.admin().post('/v1/events').send({ events: many }).expect(400);
    const slash = await t
      .admin()
      .post('/v1/events')
      .send({
        events: [
          {
            eventId: 'a/b',
            ...click('2026-01-01T00:00:00Z', { partnerId, linkId: link.id, visitorId: 'v' }),
          },
        ],
      })
      .expect(400);
    expect(slash.body.errors[0].path).toBe('events[0].eventId');
  });

  it('refuses the ingest role nothing and an auditor everything', async () => {
    const ingestKey = (
      await t.admin().post('/v1/api-keys').send({ name: 'shop', role: 'ingest' }).expect(201)
    ).body.key as string;
    const auditorKey = (
      await t.admin().post('/v1/api-keys').send({ name: 'audit', role: 'auditor' }).expect(201)
    ).body.key as string;
    const events = [click('2026-01-14T10:00:00Z', { partnerId, linkId: link.id, visitorId: 'vis-k' })].map(
      (e) => ({ eventId: uniqueId('evt'), ...e }),
    );
    await t.as(ingestKey).post('/v1/events').send({ events }).expect(200);
    await t.as(auditorKey).post('/v1/events').send({ events }).expect(403);
    await t.http().post('/v1/events').send({ events }).expect(401);
  });
});

describe('POST /v1/events: a run of clicks', () => {
  it('gives every click of a long run the answer it would get alone', async () => {
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const code = `Run${uniqueId('x').replace(/-/g, '')}`;
    const partnerId = await createPartner(t, { code, programIds: [program] });
    const link = await createLink(t);
    const visitorId = uniqueId('vis');
    const contactId = uniqueId('contact');
    const stored = {
      eventId: uniqueId('evt'),
      ...click('2026-04-01T09:00:00Z', { partnerId, linkId: link.id, visitorId: uniqueId('v') }),
    };
    await ingestAll(t, [stored]);
    const repeated = {
      eventId: uniqueId('evt'),
      ...click('2026-04-01T10:00:00Z', { partnerId, linkId: link.id, visitorId: uniqueId('v') }),
    };
    const events = [
      {
        eventId: uniqueId('evt'),
        ...click('2026-04-01T10:00:00Z', { partnerId, linkId: link.id, visitorId: uniqueId('v') }),
      },
      stored,
      { ...stored, eventId: stored.eventId, data: { ...stored.data, visitorId: 'someone-else' } },
      {
        eventId: uniqueId('evt'),
        ...click('2026-04-01T10:01:00Z', { partnerId: 'nobody', linkId: link.id, visitorId: uniqueId('v') }),
      },
      {
        eventId: uniqueId('evt'),
        ...click('2026-04-01T10:02:00Z', {
          partnerCode: code.toLowerCase(),
          linkCode: link.code,
          visitorId,
          contactId,
        }),
      },
      {
        eventId: uniqueId('evt'),
        ...click('2026-04-01T10:03:00Z', { partnerId, linkId: link.id, visitorId }),
      },
      repeated,
      repeated,
      { ...repeated, data: { ...repeated.data, visitorId: 'changed' } },
      {
        eventId: uniqueId('evt'),
        ...click('2026-04-01T10:04:00Z', {
          partnerId,
          linkId: link.id,
          visitorId: uniqueId('v'),
          adId: 'no-such-ad',
        }),
      },
    ];
    const response = await t.admin().post('/v1/events').send({ events }).expect(200);
    const results = response.body.results as {
      eventId: string;
      status: string;
      position?: string;
      error?: { status: number; code: string };
    }[];
    expect(results.map((r) => r.eventId)).toEqual(events.map((e) => e.eventId));
    expect(
      results.map((r) => (r.status === 'rejected' ? `${r.error?.status} ${r.error?.code}` : r.status)),
    ).toEqual([
      'accepted',
      'duplicate',
      '409 event-id-conflict',
      '422 unknown-partner',
      'accepted',
      'accepted',
      'accepted',
      'duplicate',
      '409 event-id-conflict',
      '422 unknown-ad',
    ]);
    expect(results[7]?.position).toBe(results[6]?.position);
    // The click naming the contact joined the visitor: the next click went into its history too.
    const history = await t.admin().get(`/v1/contacts/${contactId}/referral-history`).expect(200);
    expect(history.body.clicks).toHaveLength(2);
    expect(
      history.body.referrals.map((r: { source: string; partnerId: string }) => [r.source, r.partnerId]),
    ).toEqual([
      ['click', partnerId],
      ['click', partnerId],
    ]);
    // A retry of the whole request changes nothing.
    const again = await t.admin().post('/v1/events').send({ events }).expect(200);
    expect((again.body.results as { status: string }[]).map((r) => r.status)).toEqual([
      'duplicate',
      'duplicate',
      'rejected',
      'rejected',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'rejected',
      'rejected',
    ]);
  });
});

describe('contacts and referral history', () => {
  it('joins a visitor’s clicks at opt-in, one referral per creditable partner, expiring after leadCookieDays', async () => {
    const a = await createPartner(t, { programIds: [programId], leadCookieDays: 10 });
    const b = await createPartner(t, { programIds: [programId], leadCookieDays: null });
    const link = await createLink(t);
    const visitorId = uniqueId('vis');
    const contactId = uniqueId('contact');
    await ingestAll(t, [
      click('2026-02-01T10:00:00Z', { partnerId: a, linkId: link.id, visitorId, ip: '10.1.1.1' }),
      click('2026-02-03T10:00:00Z', { partnerId: a, linkId: link.id, visitorId }),
      click('2026-02-04T10:00:00Z', { partnerId: b, linkId: link.id, visitorId }),
      optIn('2026-02-05T10:00:00Z', { contactId, visitorId, email: 'kim@example.com' }),
    ]);
    const history = await t.admin().get(`/v1/contacts/${contactId}/referral-history`).expect(200);
    expect(history.body.clicks.map((c: { partnerId: string }) => c.partnerId)).toEqual([a, a, b]);
    expect(history.body.clicks[0].ip).toBe('10.1.1.1');
    expect(history.body.referrals).toEqual([
      {
        partnerId: a,
        source: 'opt-in',
        setAt: '2026-02-01T10:00:00.000Z',
        lastSeenAt: '2026-02-03T10:00:00.000Z',
        expiresAt: '2026-02-13T10:00:00.000Z',
        clickId: history.body.clicks[0].clickId,
      },
      {
        partnerId: b,
        source: 'opt-in',
        setAt: '2026-02-04T10:00:00.000Z',
        lastSeenAt: '2026-02-04T10:00:00.000Z',
        expiresAt: null,
        clickId: history.body.clicks[2].clickId,
      },
    ]);

    // A later click of the now-known visitor goes straight into the history.
    await ingestAll(t, [click('2026-02-06T10:00:00Z', { partnerId: b, linkId: link.id, visitorId })]);
    const later = await t.admin().get(`/v1/contacts/${contactId}/referral-history`).expect(200);
    expect(later.body.clicks).toHaveLength(4);
    expect(later.body.referrals[2]).toMatchObject({ partnerId: b, source: 'click' });
  });

  it('joins the buyer’s clicks at a purchase', async () => {
    const a = await createPartner(t, { programIds: [programId] });
    const link = await createLink(t);
    const visitorId = uniqueId('vis');
    const contactId = uniqueId('contact');
    await ingestAll(t, [
      click('2026-03-01T10:00:00Z', { partnerId: a, linkId: link.id, visitorId }),
      attempt('2026-03-02T10:00:00Z', {
        attemptId: uniqueId('att'),
        contactId,
        visitorId,
        items: [{ productId: 'book', quantity: 1, unitPrice: 1000 }],
      }),
    ]);
    const history = await t.admin().get(`/v1/contacts/${contactId}/referral-history`).expect(200);
    expect(history.body.referrals).toEqual([expect.objectContaining({ partnerId: a, source: 'purchase' })]);
  });

  it('records a referral by hand', async () => {
    const a = await createPartner(t, { programIds: [programId], leadCookieDays: 5 });
    const contactId = uniqueId('contact');
    const created = await t
      .admin()
      .post(`/v1/contacts/${contactId}/referrals`)
      .send({ partnerId: a })
      .expect(201);
    expect(created.body).toMatchObject({ partnerId: a, source: 'manual', position: expect.any(String) });
    await t
      .admin()
      .post(`/v1/contacts/${contactId}/referrals`)
      .send({ partnerId: a, expiresAt: '2099-01-01T00:00:00Z' })
      .expect(201);
    await t.admin().post(`/v1/contacts/${contactId}/referrals`).send({ partnerId: 'nobody' }).expect(422);
    await t
      .admin()
      .post(`/v1/contacts/${contactId}/referrals`)
      .send({ partnerId: a, colour: 'red' })
      .expect(400);
    const history = await t.admin().get(`/v1/contacts/${contactId}/referral-history`).expect(200);
    expect(history.body.referrals).toHaveLength(2);
    expect(history.body.referrals[1].expiresAt).toBe('2099-01-01T00:00:00.000Z');
  });
});
