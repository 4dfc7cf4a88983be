/** Configuration shared by the child-process reliability tests: the commission setup and the admin key. */
import type { RetryingClient } from '../support/retrying-client';
import type { WorkloadPartner } from './workload';

export const ADMIN_KEY = 'reliability-admin-key-0123456789abcdef';

async function created(promise: Promise<{ status: number; body: unknown }>, what: string): Promise<void> {
  const response = await promise;
  if (response.status !== 201)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

/**
 * One program paying two levels (flat + percent, so every line earns something), two top partners and
 * four partners under them, and one link. Ids are client-chosen so that a retried request is harmless.
 */
export async function configureCommissions(
  client: RetryingClient,
): Promise<{ partners: WorkloadPartner[]; linkId: string }> {
  await created(
    client.post('/v1/programs', {
      id: 'reliability',
      name: 'Reliability',
      default: {
        sale: [
          { flat: 100, percent: '10' },
          { flat: 25, percent: '2.5' },
        ],
      },
    }),
    'program',
  );
  const partners: WorkloadPartner[] = [
    { id: 'top-1', parentId: null },
    { id: 'top-2', parentId: null },
    { id: 'sub-1', parentId: 'top-1' },
    { id: 'sub-2', parentId: 'top-1' },
    { id: 'sub-3', parentId: 'top-2' },
    { id: 'sub-4', parentId: 'top-2' },
  ];
  for (const partner of partners) {
    await created(
      client.post('/v1/partners', {
        id: partner.id,
        code: partner.id.replace('-', '_'),
        name: `Partner ${partner.id}`,
        programIds: ['reliability'],
        leadCookieDays: null,
        ...(partner.parentId ? { parentId: partner.parentId } : {}),
      }),
      `partner ${partner.id}`,
    );
  }
  await created(
    client.post('/v1/links', {
      id: 'reliability-link',
      code: 'offer',
      name: 'Offer',
      destinationUrl: 'https://shop.example.com/offer',
    }),
    'link',
  );
  return { partners, linkId: 'reliability-link' };
}
