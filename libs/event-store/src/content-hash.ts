import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted, so equal content always serialises to the same text. Written as
 * loops (it hashes every event of the log): keys in code-unit order, undefined members left out,
 * undefined array elements as null, holes as nothing.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++)
      text += (i > 0 ? ',' : '') + (i in value ? canonicalJson(value[i]) : '');
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${text}}`;
}

/** Hex SHA-256 of the text (the one-shot `hash`: about twice as fast as createHash for short texts). */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/** What "the same event" means for idempotency: stream, type, data and time; not the metadata. */
export function eventContentHash(streamId: string, type: string, data: unknown, occurredAt: string): string {
  return sha256(canonicalJson({ streamId, type, data, occurredAt: new Date(occurredAt).toISOString() }));
}
