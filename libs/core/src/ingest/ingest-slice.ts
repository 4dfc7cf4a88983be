/**
 * One ingest type's use case (a slice: its folder holds it): what its envelope reads, and the events
 * it decides on the request's in-memory state. Deciding is pure and synchronous; the ingest service
 * loads the state for all the request's envelopes before and writes all their events after.
 */
import type { DecisionNeeds, DecisionState } from '../write-model/decision-state';
import type { DomainAppend } from '../write-model/event-writer';
import type { IngestDataOf, IngestType } from './envelope.request';

export interface IngestEnvelope<T extends IngestType = IngestType> {
  readonly eventId: string;
  readonly type: T;
  /** Normalised to an ISO instant in UTC. */
  readonly occurredAt: string;
  readonly data: IngestDataOf<T>;
}

export interface IngestSlice<T extends IngestType = IngestType> {
  readonly type: T;
  /**
   * Its events record an amount in the settlement currency (see settlement-currency): a request with
   * such an envelope holds the currency's lock from before it reads the settings until it commits.
   */
  readonly recordsMoney?: true;
  /** Adds what deciding this envelope reads to the request's load. */
  needs(envelope: IngestEnvelope<T>, needs: DecisionNeeds): void;
  /**
   * The appends for this envelope, or a DomainRuleViolation thrown. The event whose id is the
   * envelope's eventId must be among them (the service stamps the envelope's hash on it); an empty
   * list means "already recorded" (the same fact under another event id).
   */
  decide(envelope: IngestEnvelope<T>, state: DecisionState): DomainAppend[];
}
