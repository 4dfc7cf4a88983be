/** Client-chosen ids of programs, partners, links, contacts, attempts, batches ... (api.md Conventions). */
export const RESOURCE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What a request that breaks the rule is told. */
export const RESOURCE_ID_RULE = 'must be 1 to 128 characters of A-Za-z0-9._:-';

export function isResourceId(value: unknown): value is string {
  return typeof value === 'string' && RESOURCE_ID.test(value);
}
