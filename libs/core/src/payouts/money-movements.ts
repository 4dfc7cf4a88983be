/**
 * Payments and adjustments: one event each, recorded once per client id by the event store's own
 * idempotency (the event id derives from the client's id, the store compares content hashes).
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ConcurrencyError,
  EVENT_STORE,
  EventIdConflictError,
  type EventStore,
  formatPosition,
} from '@app/event-store';
import { Database, type Queryable, conflict, notFound, unprocessable } from '@app/platform';
import { type DomainEvent, sameContent } from '@app/domain';
import { type Caller, actorOf } from '../auth/caller';
import { holdSettlementCurrency } from '../configuration/settlement-currency';
import { EventWriter } from '../write-model/event-writer';
import { WriteModelQueries } from '../write-model/write-model.queries';

export interface MoneyMovement<E extends DomainEvent> {
  /** The client's id, if it chose one (a retry names it again). */
  readonly id: string | undefined;
  /** The stream named after the id; its only event has the stream's name as event id. */
  readonly stream: (id: string) => string;
  /** For messages: "Payment". */
  readonly name: string;
  /** For the currency message: "Payments". */
  readonly kind: string;
  readonly partnerId: string;
  /** The currency the client named, if any: it must be the settlement currency. */
  readonly currency: string | undefined;
  /** When it happened, as the client said; the time of the request when left out. */
  readonly at: string | undefined;
  /** The field of the event's data that holds `at`. */
  readonly atField: string;
  readonly event: (facts: { id: string; at: string; currency: string }) => E;
}

export interface MovementRecorded<E extends DomainEvent> {
  readonly data: E['data'];
  readonly position: string;
  readonly currency: string;
}

@Injectable()
export class MoneyMovements {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
  ) {}

  /**
   * Writes the movement's event in one transaction with the checks (the partner exists, the currency is
   * the settlement currency, which cannot change until the commit). The same id with the same content is
   * the store's duplicate and answers the stored event; other content is the store's conflict: 409,
   * unless only a time the client left out differs (a retry without `paidAt` is the same payment).
   */
  async record<E extends DomainEvent>(
    movement: MoneyMovement<E>,
    caller: Caller | undefined,
  ): Promise<MovementRecorded<E>> {
    return this.database.transaction(async (tx) => {
      await holdSettlementCurrency(tx);
      const currency = await settlementCurrency(
        this.queries,
        movement.partnerId,
        movement.currency,
        movement.kind,
        tx,
      );
      const id = movement.id ?? randomUUID();
      const at = new Date(movement.at ?? Date.now()).toISOString();
      const event = movement.event({ id, at, currency });
      const streamId = movement.stream(id);
      try {
        const written = await this.writer.write(
          [
            {
              streamId,
              expectedVersion: 'no-stream',
              events: [{ eventId: streamId, event, occurredAt: at }],
            },
          ],
          { actor: actorOf(caller) },
          tx,
        );
        return { data: event.data, position: written.position, currency };
      } catch (error) {
        // The id is stored with another content hash, or (a concurrent request that committed first
        // while this one waited) its stream exists. The append ran under a savepoint: the transaction
        // goes on and sees what is stored.
        if (!(error instanceof EventIdConflictError || error instanceof ConcurrencyError)) throw error;
      }
      const [stored] = await this.store.readStream(streamId, tx);
      const what = `${movement.name} ${id}`;
      if (!stored) throw conflict(`${what} is being recorded by another request; retry`, 'concurrent-change');
      const filledIn = movement.at === undefined ? [movement.atField] : [];
      if (!sameData(stored.data, event.data, filledIn))
        throw conflict(`${what} already exists with other content`, 'id-conflict');
      return { data: stored.data as E['data'], position: formatPosition(stored.position), currency };
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
