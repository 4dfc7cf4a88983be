import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal content always serialises to the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What "the same event" means for idempotency: stream, type, data and time; not the metadata. */
export function eventContentHash(streamId: string, type: string, data: unknown, occurredAt: string): string {
  return sha256(canonicalJson({ streamId, type, data, occurredAt: new Date(occurredAt).toISOString() }));
}
