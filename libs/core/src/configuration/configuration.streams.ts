/** Stream names of the configuration facts, and the position a write answers with when nothing changed. */
import type { DomainEvent } from '@app/domain';
import {
  ConcurrencyError,
  EventIdConflictError,
  type EventStore,
  LOG_START,
  type StoreTransaction,
  formatPosition,
} from '@app/event-store';
import type { Transaction } from '@app/platform';
import { type Caller, actorOf } from '../auth/caller';
import type { EventWriter } from '../write-model/event-writer';

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
 * Writes the first event of a stream named after a client's id, with the stream's name as event id: the
 * store's unique event id (and its stream row) settles a retry racing its original. Answers the position,
 * or null when the id is stored already with other content or by a request that committed first (the
 * append ran under a savepoint, so the transaction goes on and the caller answers what is stored).
 */
export async function createStream(
  writer: EventWriter,
  streamId: string,
  event: DomainEvent,
  caller: Caller | undefined,
  tx: Transaction,
): Promise<string | null> {
  try {
    const written = await writer.write(
      [
        {
          streamId,
          expectedVersion: 'no-stream',
          events: [{ eventId: streamId, event, occurredAt: new Date().toISOString() }],
        },
      ],
      { actor: actorOf(caller) },
      tx,
    );
    return written.position;
  } catch (error) {
    if (error instanceof EventIdConflictError || error instanceof ConcurrencyError) return null;
    throw error;
  }
}
