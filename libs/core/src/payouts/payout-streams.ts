/** Stream names of payouts, and the "same id, same content" rule for client-chosen ids. */
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ConcurrencyError,
  EVENT_STORE,
  EventIdConflictError,
  type EventStore,
  type RecordedEvent,
  formatPosition,
} from '@app/event-store';
import { Database, type Queryable, conflict, notFound, unprocessable } from '@app/platform';
import { type DomainEvent, sameContent } from '@app/domain';
import { holdSettlementCurrency } from '../configuration/settlement-currency';
import type { CommandMetadata, EventWriter } from '../write-model/event-writer';
import { WriteModelQueries } from '../write-model/write-model.queries';

export const paymentStream = (paymentId: string): string => `payment-${paymentId}`;
export const adjustmentStream = (adjustmentId: string): string => `adjustment-${adjustmentId}`;
export const batchStream = (batchId: string): string => `payout-batch-${batchId}`;

export const newId = (): string => randomUUID();

export interface MoneyMovement<E extends DomainEvent> {
  /** The stream whose only event this is (named after the client's id). */
  readonly streamId: string;
  /** For messages: "Payment pm-1". */
  readonly what: string;
  /** For the currency message: "Payments". */
  readonly kind: string;
  readonly partnerId: string;
  /** The currency the client named, if any: it must be the settlement currency. */
  readonly currency: string | undefined;
  /** The event, given the settlement currency. */
  readonly event: (currency: string) => E;
  readonly occurredAt: string;
  /**
   * Fields of the event's data the client left out and the service filled in (an omitted `paidAt` is
   * the time of the request): a retry that leaves them out again is the same movement, whatever they
   * were stored with.
   */
  readonly filledIn: readonly string[];
}

@Injectable()
export class OncePerId {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
  ) {}

  /**
   * Writes a payment's or an adjustment's event as the only event of its stream, in one transaction
   * with the checks (the partner exists, the currency is the settlement currency, which cannot change
   * until the commit). If the stream exists already (a retry with the same id), answers the stored event
   * when its data is the same, and 409 otherwise.
   */
  async record<E extends DomainEvent>(
    writer: EventWriter,
    movement: MoneyMovement<E>,
    meta: CommandMetadata,
  ): Promise<{ data: E['data']; position: string; currency: string }> {
    return this.database.transaction(async (tx) => {
      await holdSettlementCurrency(tx);
      const currency = await settlementCurrency(
        this.queries,
        movement.partnerId,
        movement.currency,
        movement.kind,
        tx,
      );
      const event = movement.event(currency);
      const { streamId, occurredAt } = movement;
      const answer = (stored: RecordedEvent) => {
        if (!sameData(stored.data, event.data, movement.filledIn))
          throw conflict(`${movement.what} already exists with other content`, 'id-conflict');
        return { data: stored.data as E['data'], position: formatPosition(stored.position), currency };
      };
      const [existing] = await this.store.readStream(streamId, tx);
      if (existing) return answer(existing);
      try {
        const written = await writer.write(
          [{ streamId, expectedVersion: 'no-stream', events: [{ eventId: streamId, event, occurredAt }] }],
          meta,
          tx,
        );
        if (!written.duplicate) return { data: event.data, position: written.position, currency };
      } catch (error) {
        if (!(error instanceof ConcurrencyError || error instanceof EventIdConflictError)) throw error;
      }
      // A concurrent request with the same id committed first. The append ran under a savepoint, so
      // the transaction goes on and sees what that request stored.
      const [stored] = await this.store.readStream(streamId, tx);
      if (!stored)
        throw conflict(`${movement.what} is being recorded by another request; retry`, 'concurrent-change');
      return answer(stored);
    });
  }
}

function sameData(stored: object, fresh: object, filledIn: readonly string[]): boolean {
  const without = (data: object) =>
    Object.fromEntries(Object.entries(data).filter(([key]) => !filledIn.includes(key)));
  return sameContent(without(stored), without(fresh));
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
  tx?: Queryable,
): Promise<string> {
  if (!(await queries.partner(partnerId, tx))) throw notFound(`No partner ${partnerId}`);
  const settings = await queries.settings(tx);
  if (currency && currency !== settings.currency) {
    throw unprocessable(`${what} are in ${settings.currency}`, 'currency-mismatch', [
      { path: 'currency', message: `must be ${settings.currency}` },
    ]);
  }
  return settings.currency;
}
