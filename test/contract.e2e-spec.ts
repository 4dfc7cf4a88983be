/**
 * The contract check itself (test/support/contract.ts) and the typed client (libs/api-client): the
 * document the app serves is what every e2e response is validated against, and what clients are built on.
 */
import type { Response } from 'supertest';
import { createApiClient } from '@app/api-client';
import { createLink, createPartner, createProgram, uniqueId } from './support/fixtures';
import { ADMIN_KEY, startTestApp, type TestApp } from './support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.close();
});

/** A response as supertest gives it, for the checker. */
function fake(response: Response, changes: Partial<Pick<Response, 'status' | 'body' | 'text'>>): Response {
  return { ...response, headers: response.headers, ...changes } as Response;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with a summary, roles and responses on every operation', () => {
    const document = t.contract.document as unknown as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { summary?: string; description?: string; responses: object; security?: unknown[] }>
      >;
    };
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThanOrEqual(50);
    for (const op of operations) {
      expect(op.summary).toEqual(expect.any(String));
      expect(op.description).toMatch(/Roles?: |Public: /);
      expect(op.security).toBeDefined();
      expect(Object.keys(op.responses)).toContain('503');
    }
    expect(document.paths['/health']!['get']!.security).toEqual([]);
    expect(document.paths['/r/{partnerRef}/{linkCode}']!['get']!.responses).toHaveProperty('302');
  });
});

describe('the contract check of e2e responses', () => {
  it('accepts a documented response and names operation, status and field of an undocumented one', async () => {
    const response = await t.admin().get('/v1/settings').expect(200);
    const url = `${t.baseUrl}/v1/settings`;
    expect(t.contract.check('GET', url, response)).toBeNull();

    const extraField = t.contract.check(
      'GET',
      url,
      fake(response, { body: { ...response.body, surprise: 1 } }),
    );
    expect(extraField).toContain('ReadSettings_get (GET /v1/settings) 200 application/json');
    expect(extraField).toContain('/surprise is not in the document');

    const wrongType = t.contract.check(
      'GET',
      url,
      fake(response, { body: { ...response.body, levels: 'two' } }),
    );
    expect(wrongType).toContain('/levels must be integer');
    expect(wrongType).toContain('schema #/components/schemas/SettingsResponse/properties/levels/type');

    const undocumentedStatus = t.contract.check('GET', url, fake(response, { status: 418 }));
    expect(undocumentedStatus).toContain('ReadSettings_get (GET /v1/settings) answered 418');
  });

  it('fails a test whose response breaks the document', async () => {
    // A route the document does not have, answered with something other than a 404 problem.
    const response = await t.admin().get('/v1/settings');
    const problem = t.contract.check('GET', `${t.baseUrl}/v1/not-a-route`, response);
    expect(problem).toContain('has no such operation');
  });
});

describe('the typed client (openapi-fetch over the generated types)', () => {
  it('configures, ingests and reads back through typed calls', async () => {
    const client = createApiClient({ baseUrl: t.baseUrl, key: ADMIN_KEY });
    const program = await createProgram(t, { default: { sale: [{ percent: '10' }] } });
    const partner = await createPartner(t, { programIds: [program] });
    const { id: link } = await createLink(t);
    const visitorId = uniqueId('v');

    const ingest = await client.POST('/v1/events', {
      body: {
        events: [
          {
            eventId: uniqueId('clk'),
            type: 'LinkClicked',
            occurredAt: '2026-01-05T09:00:00Z',
            data: { partnerId: partner, linkId: link, visitorId },
          },
        ],
      },
    });
    expect(ingest.response.status).toBe(200);
    expect(ingest.data?.results[0]?.status).toBe('accepted');

    const stats = await client.GET('/v1/reports/link-stats', {
      params: {
        query: { from: '2026-01-01', to: '2026-01-31', partnerId: partner, waitFor: ingest.data!.position! },
      },
    });
    expect(stats.data?.rows).toEqual([
      expect.objectContaining({ partnerId: partner, linkId: link, clicks: 1 }),
    ]);

    const missing = await client.GET('/v1/partners/{id}', { params: { path: { id: 'nobody-here' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.title).toBe('Not found');
  });
});
