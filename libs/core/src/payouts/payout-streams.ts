/** Stream names of payouts, and the "same id, same content" rule for client-chosen ids. */
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  canonicalJson,
  ConcurrencyError,
  EVENT_STORE,
  type EventStore,
  formatPosition,
} from '@app/event-store';
import { conflict, notFound, unprocessable } from '@app/platform';
import type { DomainEvent } from '@app/domain';
import type { CommandMetadata, EventWriter } from '../write-model/event-writer';
import type { WriteModelQueries } from '../write-model/write-model.queries';

export const paymentStream = (paymentId: string) => `payment-${paymentId}`;
export const adjustmentStream = (adjustmentId: string) => `adjustment-${adjustmentId}`;
export const batchStream = (batchId: string) => `payout-batch-${batchId}`;

export const newId = () => randomUUID();

@Injectable()
export class OncePerId {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Writes `event` as the only event of `streamId`. If the stream exists already (a retry with the same
   * id), answers the stored event when its data is the same, and 409 otherwise.
   */
  async write<E extends DomainEvent>(
    writer: EventWriter,
    streamId: string,
    event: E,
    occurredAt: string,
    meta: CommandMetadata,
    what: string,
  ): Promise<{ data: E['data']; position: string }> {
    try {
      const written = await writer.write(
        [{ streamId, expectedVersion: 'no-stream', events: [{ eventId: streamId, event, occurredAt }] }],
        meta,
      );
      return { data: event.data, position: written.position };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const [existing] = await this.store.readStream(streamId);
      if (existing && canonicalJson(existing.data) === canonicalJson(event.data)) {
        return { data: existing.data as E['data'], position: formatPosition(existing.position) };
      }
      throw conflict(`${what} already exists with other content`, 'id-conflict');
    }
  }
}

/**
 * The checks every money movement for one partner starts with: the partner exists (404) and the
 * currency, when given, is the settlement currency (422). Answers that currency.
 */
export async function settlementCurrency(
  queries: WriteModelQueries,
  partnerId: string,
  currency: string | undefined,
  what: string,
): Promise<string> {
  if (!(await queries.partner(partnerId))) throw notFound(`No partner ${partnerId}`);
  const settings = await queries.settings();
  if (currency && currency !== settings.currency) {
    throw unprocessable(`${what} are in ${settings.currency}`, 'currency-mismatch', [
      { path: 'currency', message: `must be ${settings.currency}` },
    ]);
  }
  return settings.currency;
}
