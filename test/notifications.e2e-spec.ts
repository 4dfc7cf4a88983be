/**
 * Issue 18 with real parts: partner emails go through a real SMTP server (smtp-server) that the test
 * reads, webhooks to a real HTTP receiver that verifies every signature with the standardwebhooks
 * library. Retry delays are shortened by configuration; the 24-hour schedule is a pure function tested
 * in retry-schedule.spec.ts.
 */
import { Client } from 'pg';
import { SmtpSink } from './support/smtp-sink';
import { WebhookReceiver, eventually } from './support/webhook-receiver';
import { startTestApp, type TestApp } from './support/test-app';
import {
  attempt,
  click,
  collect,
  createLink,
  createProgram,
  decline,
  ingestAll,
  optIn,
  refund,
  uniqueId,
} from './support/fixtures';

let t: TestApp;
const sink = new SmtpSink();
const receiver = new WebhookReceiver();
let program: string;
let link: { id: string; code: string };

async function enroll(body: Record<string, unknown>): Promise<{ id: string; code: string; email: string }> {
  const code = `n${uniqueId('p').replace(/-/g, '')}`;
  const email = `${code.toLowerCase()}@partners.example.com`;
  const response = await t
    .admin()
    .post('/v1/partners')
    .send({ code, name: `Partner ${code}`, email, programIds: [program], ...body });
  expect(response.status).toBe(201);
  return { id: response.body.id as string, code, email };
}

/** A collected sale credited to `partnerCode`; answers the collection's eventId. */
async function sale(partnerCode: string, items = [{ productId: 'premium', quantity: 1, unitPrice: 9700 }]) {
  const attemptId = uniqueId('att');
  const collectionId = uniqueId('col');
  const results = await ingestAll(t, [
    attempt('2026-03-02T10:00:00Z', { attemptId, contactId: uniqueId('c'), partnerCode, items }),
    { ...collect('2026-03-02T10:00:05Z', attemptId), eventId: collectionId },
  ]);
  return { attemptId, collectionId, position: results[1]!.position! };
}

async function notifications(query = '') {
  const response = await t.admin().get(`/v1/admin/notifications${query}`);
  expect(response.status).toBe(200);
  return response.body as {
    id: string;
    partnerId: string;
    kind: string;
    sourceEventId: string;
    status: string;
    attempts: number;
    sentAt?: string;
  }[];
}

async function registerEndpoint(path: string, events: string[]) {
  const response = await t
    .admin()
    .post('/v1/webhooks')
    .send({ url: receiver.url(path), events, description: path });
  expect(response.status).toBe(201);
  receiver.secrets.set(path, response.body.secret as string);
  return response.body as { id: string; secret: string; url: string; events: string[]; enabled: boolean };
}

beforeAll(async () => {
  await sink.start();
  await receiver.start();
  t = await startTestApp({
    SMTP_URL: sink.url,
    SMTP_FROM: 'Acme partners <partners@acme.example.com>',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    DELIVERY_RETRY_BASE_MS: '50',
    DELIVERY_RETRY_MAX_DELAY_MS: '200',
    DELIVERY_RETRY_FOR_MS: '1500',
    WEBHOOK_DISABLE_AFTER_MS: '2000',
    WEBHOOK_TIMEOUT_MS: '2000',
    DISPATCH_LEASE_MS: '5000',
    DISPATCH_POLL_MS: '50',
  });
  program = await createProgram(t, { default: { sale: [{ percent: '10' }, { percent: '3' }] } });
  link = await createLink(t);
});

afterAll(async () => {
  await t.close();
  await sink.stop();
  await receiver.stop();
});

describe('partner emails', () => {
  it('tells a partner about its lead and its sale, with the Partner Center link and nothing about the buyer', async () => {
    const parent = await enroll({ notifyOnSale: true, notifyOnLead: true });
    const amy = await enroll({ parentId: parent.id, notifyOnLead: true, notifyOnSale: true });
    const visitorId = uniqueId('v');
    const optInId = uniqueId('opt');
    const attemptId = uniqueId('att');
    const collectionId = uniqueId('col');
    await ingestAll(t, [
      click('2026-03-01T09:00:00Z', { partnerId: amy.id, linkId: link.id, visitorId }),
      {
        ...optIn('2026-03-01T09:05:00Z', {
          contactId: 'john',
          visitorId,
          email: 'john.buyer@example.org',
          formId: 'spring-form',
        }),
        eventId: optInId,
      },
      attempt('2026-03-01T09:10:00Z', {
        attemptId,
        contactId: 'john',
        visitorId,
        email: 'john.buyer@example.org',
        items: [
          { productId: 'premium', quantity: 1, unitPrice: 9700 },
          { productId: 'addon', quantity: 2, unitPrice: 1000 },
        ],
      }),
      { ...collect('2026-03-01T09:10:02Z', attemptId), eventId: collectionId },
    ]);

    const mails = await eventually(
      () => sink.to(amy.email),
      (m) => m.length === 2,
    );
    const lead = mails.find((m) => m.subject.includes('signed up'))!;
    const sold = mails.find((m) => m.subject.includes('commission'))!;
    expect(lead.text).toContain('opted in through the form "spring-form" on 2026-03-01 09:05:00 UTC');
    expect(sold.subject).toBe('You earned $11.70 in commission');
    expect(sold.text).toContain('premium x 1: $9.70');
    expect(sold.text).toContain('addon x 2: $2.00');
    for (const mail of mails) {
      expect(mail.from).toBe('partners@acme.example.com');
      expect(mail.text).toContain('Partner Center: https://track.example.com/partner-center/');
      expect(mail.text).not.toContain('john');
    }
    // The parent earned level-2 commissions on the same collection: one message with both lines.
    const parentMails = await eventually(
      () => sink.to(parent.email),
      (m) => m.length === 1,
    );
    expect(parentMails[0]!.text).toContain('a sale by your recruit');
    expect(parentMails[0]!.subject).toBe('You earned $3.51 in commission');

    const listed = await eventually(
      () => notifications(`?partnerId=${amy.id}`),
      (rows) => rows.length === 2 && rows.every((r) => r.status === 'sent'),
    );
    expect(listed.map((r) => [r.kind, r.sourceEventId, r.attempts])).toEqual([
      ['lead', optInId, 1],
      ['sale', collectionId, 1],
    ]);
    expect(listed.every((r) => typeof r.sentAt === 'string')).toBe(true);
    expect(sink.messages.filter((m) => listed.some((r) => r.id === m.notificationId))).toHaveLength(2);
  });

  it('sends nothing to a partner whose flag is off, until it turns the flag on in the Partner Center', async () => {
    const carl = await enroll({ password: 'carl-secret-password' });
    const quiet = await sale(carl.code);
    const login = await t
      .http()
      .post('/v1/partner-center/login')
      .send({ code: carl.code, password: 'carl-secret-password' });
    expect(login.status).toBe(200);
    const token = login.body.token as string;
    const changed = await t.as(token).patch('/v1/me').send({ notifyOnSale: true });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: carl.id, notifyOnSale: true, notifyOnLead: false });
    expect(typeof changed.body.position).toBe('string');
    await t.as(token).patch('/v1/me').send({ notifyOnSale: 'yes' }).expect(400);
    await t.as(token).patch('/v1/me').send({ code: 'other' }).expect(400);
    await t.admin().patch('/v1/me').send({ notifyOnSale: true }).expect(403);
    const loud = await sale(carl.code);

    // The later sale's email arrives; the earlier one was never created (the flag was off at its position).
    await eventually(
      () => sink.to(carl.email),
      (m) => m.length === 1,
    );
    const rows = await notifications(`?partnerId=${carl.id}`);
    expect(rows.map((r) => r.sourceEventId)).toEqual([loud.collectionId]);
    expect(rows.map((r) => r.sourceEventId)).not.toContain(quiet.collectionId);
    // The change is an event in the log, caused by the partner.
    const audit = await t.admin().get('/v1/audit/events?limit=1000');
    const change = (
      audit.body.events as { type: string; data: { partnerId?: string }; metadata: { actor: string } }[]
    ).find((e) => e.type === 'PartnerChanged' && e.data.partnerId === carl.id);
    expect(change?.metadata.actor).toBe(`partner:${carl.id}`);
  });

  it('sends nothing while skipNotifications is on', async () => {
    const dora = await enroll({ notifyOnSale: true });
    await t.admin().patch('/v1/settings').send({ skipNotifications: true }).expect(200);
    const skipped = await sale(dora.code);
    await t.admin().patch('/v1/settings').send({ skipNotifications: false }).expect(200);
    const told = await sale(dora.code);
    await eventually(
      () => sink.to(dora.email),
      (m) => m.length === 1,
    );
    const rows = await notifications(`?partnerId=${dora.id}`);
    expect(rows.map((r) => r.sourceEventId)).toEqual([told.collectionId]);
    expect(rows.map((r) => r.sourceEventId)).not.toContain(skipped.collectionId);
  });

  it('retries an email the SMTP server refuses for now, and sends it once', async () => {
    const erin = await enroll({ notifyOnSale: true });
    sink.refuseNext = 1;
    await sale(erin.code);
    const rows = await eventually(
      () => notifications(`?partnerId=${erin.id}`),
      (r) => r.length === 1 && r[0]!.status === 'sent',
    );
    expect(rows[0]!.attempts).toBe(2);
    expect(sink.to(erin.email)).toHaveLength(1);
  });

  it('lists the outbox only for admins and refuses a bad filter', async () => {
    await t.admin().get('/v1/admin/notifications?status=lost').expect(400);
    const key = await t
      .admin()
      .post('/v1/api-keys')
      .send({ name: uniqueId('auditor'), role: 'auditor' })
      .expect(201);
    await t
      .as(key.body.key as string)
      .get('/v1/admin/notifications')
      .expect(403);
  });
});

describe('webhooks', () => {
  it('registers an endpoint, shows the secret once, and lists it without the secret', async () => {
    const endpoint = await registerEndpoint('/crud', ['partner.enrolled']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    const one = await t.admin().get(`/v1/webhooks/${endpoint.id}`).expect(200);
    expect(one.body).toMatchObject({
      id: endpoint.id,
      url: receiver.url('/crud'),
      events: ['partner.enrolled'],
      enabled: true,
    });
    expect(JSON.stringify(one.body)).not.toContain(endpoint.secret);
    const all = await t.admin().get('/v1/webhooks').expect(200);
    expect(JSON.stringify(all.body)).not.toContain('whsec_');
    const changed = await t
      .admin()
      .patch(`/v1/webhooks/${endpoint.id}`)
      .send({ events: ['partner.enrolled', 'partner.approved'] });
    expect(changed.status).toBe(200);
    expect(changed.body.events).toEqual(['partner.enrolled', 'partner.approved']);
    await t
      .admin()
      .post('/v1/webhooks')
      .send({ url: receiver.url('/x'), events: ['order.shipped'] })
      .expect(400);
    await t
      .admin()
      .post('/v1/webhooks')
      .send({ url: 'ftp://example.com/x', events: ['partner.enrolled'] })
      .expect(400);
    await t
      .admin()
      .post('/v1/webhooks')
      .send({ url: receiver.url('/x'), events: [] })
      .expect(400);
    await t.admin().delete(`/v1/webhooks/${endpoint.id}`).expect(204);
    await t.admin().get(`/v1/webhooks/${endpoint.id}`).expect(404);
    await t.admin().delete(`/v1/webhooks/${endpoint.id}`).expect(404);
  });

  it('signs every delivery; a receiver answering 500 then 200 gets each twice with the same id', async () => {
    const path = '/flaky';
    receiver.answer = ({ path: p, attempt: n }) => (p === path && n === 1 ? 500 : 200);
    const endpoint = await registerEndpoint(path, [
      'commission.earned',
      'commission.clawed_back',
      'attempt.declined',
      'lead.referred',
      'partner.enrolled',
      'partner.approved',
      'payment.recorded',
      'payout.batch.created',
    ]);
    // One of each: enrol (inactive), approve, a lead, a sale, a refund, a decline, a payment, a batch.
    const fay = await enroll({ status: 'inactive' });
    await t.admin().patch(`/v1/partners/${fay.id}`).send({ status: 'active' }).expect(200);
    const visitorId = uniqueId('v');
    const contactId = uniqueId('c');
    await ingestAll(t, [
      click('2026-03-03T09:00:00Z', { partnerId: fay.id, linkId: link.id, visitorId }),
      optIn('2026-03-03T09:05:00Z', { contactId, visitorId }),
    ]);
    const sold = await sale(fay.code);
    await ingestAll(t, [refund('2026-03-04T10:00:00Z', sold.attemptId, 4850)]);
    const declinedId = uniqueId('att');
    await ingestAll(t, [
      attempt('2026-03-04T11:00:00Z', {
        attemptId: declinedId,
        contactId,
        partnerCode: fay.code,
        items: [{ productId: 'annual', quantity: 1, unitPrice: 29700 }],
      }),
      decline('2026-03-04T11:00:01Z', declinedId),
    ]);
    await t
      .admin()
      .post(`/v1/partners/${fay.id}/payments`)
      .send({ amount: 100, paymentType: 'PayPal' })
      .expect(201);
    const batch = await t
      .admin()
      .post('/v1/payouts/batches')
      .send({
        method: 'ending-balance',
        from: '2026-03-01',
        to: '2026-03-31',
        partnerIds: [fay.id],
        paymentType: 'Check',
        paidAt: '2026-04-01T10:00:00Z',
      });
    expect(batch.status).toBe(201);

    const types = [
      'partner.enrolled',
      'partner.approved',
      'lead.referred',
      'commission.earned',
      'commission.clawed_back',
      'attempt.declined',
      'payment.recorded',
      'payout.batch.created',
    ];
    const received = await eventually(
      () =>
        receiver
          .on(path)
          .filter((r) => r.payload.data['partnerId'] === fay.id || r.payload.type === 'payout.batch.created'),
      (r) =>
        types.every((type) => r.filter((x) => x.payload.type === type && x.answered === 200).length >= 1),
    );
    for (const r of receiver.on(path)) expect(r.verificationError).toBeNull();
    const byId = new Map<string, typeof received>();
    for (const r of received) byId.set(r.webhookId, [...(byId.get(r.webhookId) ?? []), r]);
    for (const [id, copies] of byId) {
      expect(copies.map((c) => c.answered)).toEqual([500, 200]);
      expect(copies.every((c) => c.payload.id === id)).toBe(true);
      expect(copies[1]!.payload).toEqual(copies[0]!.payload);
    }
    const earned = received.find((r) => r.payload.type === 'commission.earned')!.payload;
    expect(earned.data).toMatchObject({
      partnerId: fay.id,
      attemptId: sold.attemptId,
      productId: 'premium',
      role: 'sale',
      level: 1,
      amount: 970,
      currency: 'USD',
    });
    expect(earned.position).toMatch(/^\d+-\d+$/);
    expect(received.find((r) => r.payload.type === 'attempt.declined')!.payload.data).toMatchObject({
      attemptId: declinedId,
      partnerId: fay.id,
      reason: 'card declined',
    });
    expect(received.find((r) => r.payload.type === 'partner.approved')!.payload.data).toMatchObject({
      partnerId: fay.id,
      previousStatus: 'inactive',
    });

    const deliveries = await eventually(
      async () =>
        (await t.admin().get(`/v1/webhooks/${endpoint.id}/deliveries`)).body as {
          deliveryId: string;
          status: string;
          attempts: { statusCode?: number; durationMs: number }[];
        }[],
      (d) => d.length >= types.length && d.every((x) => x.status === 'succeeded'),
    );
    for (const d of deliveries) {
      expect(d.attempts.map((a) => a.statusCode)).toEqual([500, 200]);
      expect(d.attempts.every((a) => Number.isInteger(a.durationMs))).toBe(true);
    }

    // A manual retry sends a delivery that succeeded once more, with the same id.
    const again = deliveries[0]!;
    const retried = await t.admin().post(`/v1/webhooks/${endpoint.id}/deliveries/${again.deliveryId}/retry`);
    expect(retried.status).toBe(202);
    await eventually(
      () => receiver.on(path).filter((r) => r.webhookId === again.deliveryId),
      (r) => r.length === 3,
    );
    await t.admin().post(`/v1/webhooks/${endpoint.id}/deliveries/no-such/retry`).expect(404);
    receiver.answer = () => 200;
  });

  it('fails a delivery after the retry window and disables an endpoint that keeps failing', async () => {
    const path = '/down';
    receiver.answer = ({ path: p }) => (p === path ? 503 : 200);
    const endpoint = await registerEndpoint(path, ['partner.enrolled']);
    const gus = await enroll({});
    const [delivery] = await eventually(
      async () =>
        (await t.admin().get(`/v1/webhooks/${endpoint.id}/deliveries`)).body as {
          status: string;
          attempts: { statusCode?: number }[];
        }[],
      (d) => d.length === 1 && d[0]!.status === 'failed',
    );
    expect(delivery!.attempts.length).toBeGreaterThan(2);
    expect(delivery!.attempts.every((a) => a.statusCode === 503)).toBe(true);
    expect(receiver.on(path).every((r) => r.payload.data['partnerId'] === gus.id)).toBe(true);
    // It keeps failing: a second enrolment after the disable window finds it disabled with a reason.
    await new Promise((r) => setTimeout(r, 2100));
    await enroll({});
    const disabled = await eventually(
      async () =>
        (await t.admin().get(`/v1/webhooks/${endpoint.id}`)).body as {
          enabled: boolean;
          disabledReason: string | null;
        },
      (e) => !e.enabled,
    );
    expect(disabled.disabledReason).toMatch(/failed since .*answered 503/);
    receiver.answer = () => 200;
    const enabled = await t.admin().patch(`/v1/webhooks/${endpoint.id}`).send({ enabled: true }).expect(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });
  });
});

describe('driven by the log', () => {
  it('makes no second email or delivery when the projections are rebuilt, and the audit stays consistent', async () => {
    const path = '/rebuild';
    const endpoint = await registerEndpoint(path, ['commission.earned']);
    const hana = await enroll({ notifyOnSale: true });
    await sale(hana.code);
    await eventually(
      () => receiver.on(path),
      (r) => r.length === 1,
    );
    await eventually(
      () => sink.to(hana.email),
      (m) => m.length === 1,
    );
    const emailsBefore = await notifications();
    const mailsBefore = sink.messages.length;

    for (const name of ['partner-notifications', 'webhook-deliveries'])
      await t.admin().post(`/v1/admin/projections/${name}/rebuild`).expect(202);
    await eventually(
      async () => (await t.admin().get('/v1/admin/projections')).body as { name: string; status: string }[],
      (states) =>
        states
          .filter((s) => s.name.includes('notif') || s.name.includes('webhook'))
          .every((s) => s.status === 'running'),
    );
    // A barrier: a new sale after the rebuild is told once; nothing before it is told again.
    await sale(hana.code);
    await eventually(
      () => sink.to(hana.email),
      (m) => m.length === 2,
    );
    await eventually(
      () => receiver.on(path),
      (r) => r.length === 2,
    );
    expect(sink.messages.length).toBe(mailsBefore + 1);
    const emailsAfter = await notifications();
    expect(emailsAfter.length).toBe(emailsBefore.length + 1);
    expect(new Set(receiver.on(path).map((r) => r.webhookId)).size).toBe(2);
    const deliveries = (await t.admin().get(`/v1/webhooks/${endpoint.id}/deliveries`)).body as unknown[];
    expect(deliveries).toHaveLength(2);

    const verify = await t.admin().get('/v1/audit/verify').expect(200);
    expect(verify.body.differences).toEqual([]);
    expect(verify.body.consistent).toBe(true);
  });
});

describe('installed on an existing log', () => {
  it('announces nothing recorded before the feature was installed, even on a rebuild', async () => {
    const ivan = await enroll({ notifyOnSale: true });
    const before = await sale(ivan.code);
    await eventually(
      () => sink.to(ivan.email),
      (m) => m.length === 1,
    );
    // As if the feature had been installed only now: the sale above predates it and was never told.
    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    try {
      await db.query('UPDATE notifications_start SET recorded_after = now()');
      await db.query('DELETE FROM notifications WHERE partner_id = $1', [ivan.id]);
    } finally {
      await db.end();
    }
    await t.admin().post('/v1/admin/projections/partner-notifications/rebuild').expect(202);
    await eventually(
      async () => (await t.admin().get('/v1/admin/projections')).body as { name: string; status: string }[],
      (states) => states.find((s) => s.name === 'partner-notifications')?.status === 'running',
    );
    const after = await sale(ivan.code);
    const rows = await eventually(
      () => notifications(`?partnerId=${ivan.id}`),
      (r) => r.length === 1 && r[0]!.status === 'sent',
    );
    expect(rows.map((r) => r.sourceEventId)).toEqual([after.collectionId]);
    expect(rows.map((r) => r.sourceEventId)).not.toContain(before.collectionId);
    expect(sink.to(ivan.email)).toHaveLength(2);
  });
});

describe('OpenAPI', () => {
  it('documents the notification and webhook endpoints', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/v1/webhooks'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/v1/webhooks/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    expect(doc.paths['/v1/webhooks/{id}/deliveries']?.['get']).toBeDefined();
    expect(doc.paths['/v1/webhooks/{id}/deliveries/{deliveryId}/retry']?.['post']).toBeDefined();
    expect(doc.paths['/v1/admin/notifications']?.['get']).toBeDefined();
    expect(doc.paths['/v1/me']?.['patch']).toBeDefined();
  });
});
