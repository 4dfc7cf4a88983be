/** One ingest type's use case: from a validated envelope to the events to append (or a domain error). */
import type { Settings } from '@app/domain';
import type { Transaction } from '@app/platform';
import type { DomainAppend } from '../write-model/event-writer';
import type { IngestDataOf, IngestType } from './envelope.request';

export interface IngestEnvelope<T extends IngestType = IngestType> {
  readonly eventId: string;
  readonly type: T;
  /** Normalised to an ISO instant in UTC. */
  readonly occurredAt: string;
  readonly data: IngestDataOf<T>;
}

export interface IngestContext {
  readonly tx: Transaction;
  readonly settings: Settings;
}

export interface EnvelopeHandler<T extends IngestType = IngestType> {
  readonly type: T;
  /**
   * The appends for this envelope. The event whose id is the envelope's eventId must be among them
   * (the ingest service stamps the envelope's hash on it); an empty list means "already recorded".
   */
  handle(envelope: IngestEnvelope<T>, context: IngestContext): Promise<DomainAppend[]>;
}

export const ENVELOPE_HANDLERS = Symbol('ENVELOPE_HANDLERS');
