/** Stream names of the configuration facts, and the position a write answers with when nothing changed. */
import { type EventStore, LOG_START, type StoreTransaction, formatPosition } from '@app/event-store';
import type { Queryable } from '@app/platform';

export const SETTINGS_STREAM = 'settings';
export const programStream = (programId: string): string => `program-${programId}`;
export const partnerStream = (partnerId: string): string => `partner-${partnerId}`;
export const linkStream = (linkId: string): string => `link-${linkId}`;
export const adStream = (adId: string): string => `ad-${adId}`;

/**
 * The position of a stream's last event: a write that found nothing to change (an idempotent retry, a
 * no-op PATCH) answers with it, so that `waitFor` still waits for the state it shows.
 */
export async function streamPosition(
  store: EventStore,
  streamId: string,
  tx?: StoreTransaction,
): Promise<string> {
  const events = await store.readStream(streamId, tx);
  return formatPosition(events.at(-1)?.position ?? LOG_START);
}

/**
 * Serializes the commands on one stream until the transaction ends, so that a retry racing the request it
 * repeats finds the first one's result (and answers like it) instead of failing on the stream version.
 */
export async function lockStream(tx: Queryable, streamId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [streamId]);
}
