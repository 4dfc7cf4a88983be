/**
 * Group commit (libs/core/src/ingest/group-commit): concurrent redirect clicks and single-envelope
 * requests share one ingest transaction, each answered after that commit with its own result.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '@app/core';
import { GroupCommitter } from '../libs/core/src/ingest/group-commit/group-committer';
import type { IngestEnvelope } from '../libs/core/src/ingest/ingest-slice';
import { checkedAgent } from './support/contract';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';
import {
  type Envelope,
  type IngestResultBody,
  click,
  createLink,
  createPartner,
  createProgram,
  ingestAll,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
let db: Client;
let programId: string;

beforeAll(async () => {
  // A wide window, so that requests sent together by the test also arrive within one.
  t = await startTestApp({ GROUP_COMMIT_WINDOW_MS: '25' });
  db = new Client({ connectionString: t.database.url });
  await db.connect();
  programId = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
});

afterAll(async () => {
  await db.end();
  await t.close();
});

async function clicksOfVisitor(visitorId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    "SELECT count(*) AS n FROM events WHERE type = 'LinkClicked' AND data->>'visitorId' = $1",
    [visitorId],
  );
  return Number(rows[0]?.n);
}

async function storedEvents(eventIds: readonly string[]): Promise<{ eventId: string; tx: string }[]> {
  const { rows } = await db.query<{ event_id: string; tx: string }>(
    'SELECT event_id, transaction_id::text AS tx FROM events WHERE event_id = ANY($1) ORDER BY global_position',
    [eventIds],
  );
  return rows.map((r) => ({ eventId: r.event_id, tx: r.tx }));
}

function visitorOf(response: { headers: Record<string, unknown> }): string {
  const cookie = (response.headers['set-cookie'] as string[] | undefined)?.find((c) =>
    c.startsWith('rp_vid='),
  );
  return cookie?.split(';')[0]?.slice('rp_vid='.length) ?? '';
}

async function publishOne(agent: () => request.Agent, envelope: Envelope): Promise<IngestResultBody> {
  const response = await agent()
    .post('/v1/events')
    .send({ events: [envelope] })
    .expect(200);
  const results = response.body.results as IngestResultBody[];
  expect(results).toHaveLength(1);
  return results[0]!;
}

describe('concurrent redirects', () => {
  it('records each click exactly once, readable by the time its 302 arrives', async () => {
    const code = `Gc${uniqueId('x').replace(/-/g, '')}`;
    const partnerId = await createPartner(t, { code, programIds: [programId], leadCookieDays: 30 });
    const link = await createLink(t, { destinationUrl: 'https://shop.example.com/landing' });

    const visitors = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const response = await t.http().get(`/r/${code}/${link.code}`).expect(302);
        expect(new URL(response.headers['location'] as string).searchParams.get('affiliate')).toBe(partnerId);
        expect(response.headers['set-cookie']?.[0]).toMatch(/^rp_vid=v_[0-9a-f]{32};.*Max-Age=2592000/);
        const visitor = visitorOf(response);
        // Answered after the commit: the click is already in the log.
        expect(await clicksOfVisitor(visitor)).toBe(1);
        return visitor;
      }),
    );
    expect(new Set(visitors).size).toBe(40);
    const { rows } = await db.query<{ n: string; ids: string }>(
      "SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM events WHERE type = 'LinkClicked' AND data->>'partnerId' = $1",
      [partnerId],
    );
    expect(rows[0]).toEqual({ n: '40', ids: '40' });
  });

  it('keeps a returning visitor and answers 404 (nothing recorded) and HEAD (nothing recorded) among them', async () => {
    const code = `Gd${uniqueId('x').replace(/-/g, '')}`;
    const partnerId = await createPartner(t, { code, programIds: [programId] });
    const link = await createLink(t);
    const returning = `v_${'ab'.repeat(16)}`;
    const { rows: before } = await db.query<{ n: string }>('SELECT count(*) AS n FROM events');

    const answers = await Promise.all([
      ...Array.from({ length: 8 }, () =>
        t.http().get(`/r/${code}/${link.code}`).set('Cookie', `rp_vid=${returning}`).expect(302),
      ),
      ...Array.from({ length: 4 }, () => t.http().get(`/r/${code}/no-such-link`).expect(404)),
      ...Array.from({ length: 4 }, () => t.http().get(`/r/nobody-${code}/${link.code}`).expect(404)),
      ...Array.from({ length: 4 }, () => t.http().head(`/r/${code}/${link.code}`).expect(302)),
    ]);
    for (const answer of answers.slice(0, 8)) expect(visitorOf(answer)).toBe(returning);
    for (const answer of answers.slice(8, 16))
      expect(answer.headers['content-type']).toMatch(/problem\+json/);
    for (const answer of answers.slice(16)) expect(answer.headers['set-cookie']).toBeUndefined();

    const { rows: after } = await db.query<{ n: string }>('SELECT count(*) AS n FROM events');
    expect(await clicksOfVisitor(returning)).toBe(8);
    expect(Number(after[0]?.n) - Number(before[0]?.n)).toBe(8);
    const { rows } = await db.query<{ n: string }>(
      "SELECT count(*) AS n FROM events WHERE type = 'LinkClicked' AND data->>'partnerId' = $1",
      [partnerId],
    );
    expect(rows[0]?.n).toBe('8');
  });
});

describe('concurrent single-envelope requests', () => {
  let partnerId: string;
  let link: { id: string; code: string };

  beforeAll(async () => {
    partnerId = await createPartner(t, { programIds: [programId] });
    link = await createLink(t);
  });

  const clickOf = (visitorId: string, eventId = uniqueId('evt')): Envelope => ({
    ...click('2026-03-01T10:00:00Z', { partnerId, linkId: link.id, visitorId }),
    eventId,
  });

  it('answers each with its own result: accepted, duplicate, rejected with its own problem', async () => {
    const stored = clickOf('gc-stored');
    const [first] = await ingestAll(t, [stored]);
    const fresh = Array.from({ length: 12 }, (_, i) => clickOf(`gc-fresh-${i}`));
    const unknownPartner: Envelope = {
      ...click('2026-03-01T10:00:00Z', { partnerId: 'partner-nobody', linkId: link.id, visitorId: 'gc-x' }),
      eventId: uniqueId('evt'),
    };
    const unknownLink: Envelope = {
      ...click('2026-03-01T10:00:00Z', { partnerId, linkId: 'link-nobody', visitorId: 'gc-y' }),
      eventId: uniqueId('evt'),
    };
    const conflicting = { ...clickOf('gc-other-visitor'), eventId: stored.eventId! };

    const sent = [...fresh, stored, unknownPartner, conflicting, unknownLink];
    const results = await Promise.all(sent.map((envelope) => publishOne(() => t.admin(), envelope)));

    results.forEach((result, index) => expect(result.eventId).toBe(sent[index]!.eventId));
    expect(results.slice(0, 12).map((r) => r.status)).toEqual(Array(12).fill('accepted'));
    expect(results[12]).toMatchObject({ status: 'duplicate', position: first!.position });
    expect(results[13]).toMatchObject({
      status: 'rejected',
      error: { status: 422, code: 'unknown-partner' },
    });
    expect(results[14]).toMatchObject({
      status: 'rejected',
      error: { status: 409, code: 'event-id-conflict' },
    });
    expect(results[15]).toMatchObject({ status: 'rejected', error: { status: 422, code: 'unknown-link' } });

    const events = await storedEvents(sent.map((e) => e.eventId!));
    expect(events.map((e) => e.eventId).sort()).toEqual(
      [...fresh.map((e) => e.eventId!), stored.eventId!].sort(),
    );
    expect(await clicksOfVisitor('gc-other-visitor')).toBe(0);
  });

  it('answers the same eventId sent twice at once with one accepted and one duplicate', async () => {
    const envelope = clickOf('gc-twice');
    const results = await Promise.all([
      publishOne(() => t.admin(), envelope),
      publishOne(() => t.admin(), envelope),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['accepted', 'duplicate']);
    expect(results[0].position).toBe(results[1].position);
    expect(await storedEvents([envelope.eventId!])).toHaveLength(1);
  });

  it('isolates a failing envelope: it alone fails, the others are accepted', async () => {
    await db.query(`
      CREATE FUNCTION gc_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.event_id LIKE 'gc-poison-%' THEN RAISE EXCEPTION 'poisoned event %', NEW.event_id; END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      'CREATE TRIGGER gc_poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION gc_poison()',
    );
    try {
      const good = Array.from({ length: 6 }, (_, i) => clickOf(`gc-good-${i}`));
      const poison = clickOf('gc-poisoned', uniqueId('gc-poison'));
      const answers = await Promise.all(
        [...good.slice(0, 3), poison, ...good.slice(3)].map((envelope) =>
          // Unchecked: the 500 of a failure that is no input's fault is not part of the contract.
          request(t.baseUrl)
            .post('/v1/events')
            .set('Authorization', `Bearer ${ADMIN_KEY}`)
            .send({ events: [envelope] }),
        ),
      );
      expect(answers[3]!.status).toBe(500);
      const others = [...answers.slice(0, 3), ...answers.slice(4)];
      others.forEach((answer, index) => {
        expect(answer.status).toBe(200);
        expect(answer.body.results).toEqual([
          expect.objectContaining({ eventId: good[index]!.eventId, status: 'accepted' }),
        ]);
      });
      expect((await storedEvents(good.map((e) => e.eventId!))).length).toBe(6);
      expect(await storedEvents([poison.eventId!])).toEqual([]);
    } finally {
      await db.query('DROP TRIGGER gc_poison ON events');
      await db.query('DROP FUNCTION gc_poison()');
    }
  });
});

describe('GroupCommitter', () => {
  let partnerId: string;
  let linkId: string;

  beforeAll(async () => {
    partnerId = await createPartner(t, { programIds: [programId] });
    linkId = (await createLink(t)).id;
  });

  const envelope = (visitorId: string, eventId = uniqueId('gc')): IngestEnvelope<'LinkClicked'> => ({
    eventId,
    type: 'LinkClicked',
    occurredAt: '2026-03-02T10:00:00.000Z',
    data: { partnerId, linkId, visitorId },
  });

  it('commits the calls of one moment in one transaction, each call answered with its own results in order', async () => {
    const committer = t.app.get(GroupCommitter);
    const calls = [
      [envelope('gc-a')],
      [envelope('gc-b'), envelope('gc-b')],
      [envelope('gc-c')],
      [envelope('gc-d'), envelope('gc-e'), envelope('gc-f')],
    ];
    const answers = await Promise.all(calls.map((call) => committer.submit(call, { actor: 'test' })));
    answers.forEach((results, index) =>
      expect(results.map((r) => r.eventId)).toEqual(calls[index]!.map((e) => e.eventId)),
    );
    expect(answers.flat().every((r) => r.status === 'accepted')).toBe(true);
    const events = await storedEvents(calls.flat().map((e) => e.eventId));
    expect(events.map((e) => e.eventId)).toEqual(calls.flat().map((e) => e.eventId));
    expect(new Set(events.map((e) => e.tx)).size).toBe(1);
  });

  it('keeps callers of different actors apart', async () => {
    const committer = t.app.get(GroupCommitter);
    const [one, other] = [envelope('gc-g'), envelope('gc-h')];
    await Promise.all([
      committer.submit([one], { actor: 'one' }),
      committer.submit([other], { actor: 'other' }),
    ]);
    const { rows } = await db.query<{ event_id: string; actor: string }>(
      "SELECT event_id, metadata->>'actor' AS actor FROM events WHERE event_id = ANY($1) ORDER BY event_id",
      [[one.eventId, other.eventId]],
    );
    expect(new Map(rows.map((r) => [r.event_id, r.actor]))).toEqual(
      new Map([
        [one.eventId, 'one'],
        [other.eventId, 'other'],
      ]),
    );
  });

  it('runs each caller alone when the shared transaction fails, so only the failing one fails', async () => {
    await db.query('CREATE SEQUENCE gc_poison_hits');
    await db.query(`
      CREATE FUNCTION gc_poison_counted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.event_id LIKE 'gc-poison-%' THEN
          PERFORM nextval('gc_poison_hits');
          RAISE EXCEPTION 'poisoned event %', NEW.event_id;
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      'CREATE TRIGGER gc_poison_counted BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION gc_poison_counted()',
    );
    try {
      const committer = t.app.get(GroupCommitter);
      const good = [envelope('gc-i'), envelope('gc-j'), envelope('gc-k'), envelope('gc-l')];
      const poison = envelope('gc-m', uniqueId('gc-poison'));
      const settled = await Promise.allSettled(
        [good[0]!, good[1]!, poison, good[2]!, good[3]!].map((e) => committer.submit([e], { actor: 'test' })),
      );
      expect(settled.map((s) => s.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/poisoned event/);
      for (const s of settled.filter((x) => x.status === 'fulfilled'))
        expect((s as PromiseFulfilledResult<{ status: string }[]>).value[0]?.status).toBe('accepted');
      // Once in the shared transaction, once alone; the good ones, run alone, each in its own.
      const { rows } = await db.query<{ hits: string }>(
        'SELECT last_value::text AS hits FROM gc_poison_hits',
      );
      expect(rows[0]?.hits).toBe('2');
      const events = await storedEvents(good.map((e) => e.eventId));
      expect(events).toHaveLength(4);
      expect(new Set(events.map((e) => e.tx)).size).toBe(4);
      expect(await storedEvents([poison.eventId])).toEqual([]);
    } finally {
      await db.query('DROP TRIGGER gc_poison_counted ON events');
      await db.query('DROP FUNCTION gc_poison_counted()');
      await db.query('DROP SEQUENCE gc_poison_hits');
    }
  });
});

describe('two service processes on one database', () => {
  let second: NestExpressApplication;
  let secondAdmin: () => request.Agent;

  beforeAll(async () => {
    second = await createApp(t.config, t.database.url, { logger: ['error'] });
    await second.listen(0, '127.0.0.1');
    const address = second.getHttpServer().address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    secondAdmin = () =>
      checkedAgent(request.agent(url), () => t.contract).set('Authorization', `Bearer ${ADMIN_KEY}`);
  });

  afterAll(async () => {
    await second.close();
  });

  it('records clicks sent to both at once once each, and one eventId sent to both once', async () => {
    const partnerId = await createPartner(t, { programIds: [programId] });
    const link = await createLink(t);
    const same: Envelope = {
      ...click('2026-03-03T10:00:00Z', { partnerId, linkId: link.id, visitorId: 'gc-both' }),
      eventId: uniqueId('evt'),
    };
    const others = Array.from({ length: 10 }, (_, i): Envelope => ({
      ...click('2026-03-03T10:00:00Z', { partnerId, linkId: link.id, visitorId: `gc-both-${i}` }),
      eventId: uniqueId('evt'),
    }));
    const results = await Promise.all([
      publishOne(() => t.admin(), same),
      publishOne(secondAdmin, same),
      ...others.map((e, i) => publishOne(i % 2 === 0 ? () => t.admin() : secondAdmin, e)),
    ]);
    expect(
      results
        .slice(0, 2)
        .map((r) => r.status)
        .sort(),
    ).toEqual(['accepted', 'duplicate']);
    expect(results[0].position).toBe(results[1].position);
    expect(results.slice(2).every((r) => r.status === 'accepted')).toBe(true);
    expect(await storedEvents([same.eventId!, ...others.map((e) => e.eventId!)])).toHaveLength(11);
  });
});
