/**
 * Processes an ingest request in one transaction, in three steps:
 * 1. load: every slice says what its envelope reads (DecisionNeeds); the state for all of them is
 *    loaded with one query per kind (DecisionState), whatever the number of envelopes;
 * 2. decide: envelope by envelope, in order, each slice's pure decider runs on that in-memory state,
 *    and the events it decides are folded into it, so a later envelope sees what an earlier one
 *    decided. A rejected envelope is simply not written (no savepoints);
 * 3. write: one append of all the new events, then the write model, one set-based statement per table
 *    (the write-model projection, applied inline).
 * The answer is sent after the commit, so everything reported accepted is durable.
 *
 * Concurrency is optimistic: appends to attempt streams carry the version the decision read, and event
 * ids are unique. When a concurrent request changed one of the streams or stored one of the ids
 * meanwhile, the append fails and nothing was written: the request is decided again on the state that
 * request left (which also recognises its own retry committed meanwhile as a duplicate). After a few
 * lost races the request first locks the attempt streams it touches, in stream order, and cannot
 * lose again; a bounded number of attempts, then the error.
 */
import { Inject, Injectable } from '@nestjs/common';
import { domainRuleStatus, isDomainRuleViolation } from '@app/domain';
import {
  ConcurrencyError,
  EVENT_STORE,
  EventIdConflictError,
  type EventStore,
  canonicalJson,
  LOG_START,
  formatPosition,
  maxPosition,
  type LogPosition,
  sha256,
} from '@app/event-store';
import {
  Database,
  type FieldError,
  ProblemError,
  type ProblemDocument,
  type Transaction,
  badRequest,
  problem,
  unacceptableInput,
  validatePlain,
} from '@app/platform';
import { attemptStream } from '../attempts/attempt-stream';
import { holdSettlementCurrency } from '../configuration/settlement-currency';
import { DecisionNeeds, type DecisionState, DecisionStateLoader } from '../write-model/decision-state';
import {
  type CommandMetadata,
  type DomainAppend,
  EventWriter,
  holdWriteModel,
} from '../write-model/event-writer';
import { WriteModelQueries } from '../write-model/write-model.queries';
import { DATA_CLASSES, EnvelopeRequest } from './envelope.request';
import type { IngestEnvelope } from './ingest-slice';
import { sliceOf } from './ingest-slices';

export interface IngestResult {
  readonly eventId: string;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly position?: string;
  readonly error?: ProblemDocument;
}

/** Decisions per request before giving up; from LOCK_FROM on, its attempt streams are locked first. */
const MAX_DECISIONS = 6;
const LOCK_FROM = 3;

export function envelopeHash(envelope: Pick<IngestEnvelope, 'type' | 'occurredAt' | 'data'>): string {
  return sha256(canonicalJson({ type: envelope.type, occurredAt: envelope.occurredAt, data: envelope.data }));
}

/** An envelope's outcome before the write: decided (its appends), answered, or a repeat of an earlier one. */
type Outcome =
  | { readonly kind: 'answered'; readonly result: IngestResult }
  | { readonly kind: 'decided'; readonly first: number; readonly groups: number }
  | { readonly kind: 'repeat'; readonly of: number };

@Injectable()
export class IngestService {
  constructor(
    private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly writer: EventWriter,
    private readonly queries: WriteModelQueries,
    private readonly loader: DecisionStateLoader,
  ) {}

  /** Checks every envelope's data; any problem fails the whole request with every path listed. */
  validate(envelopes: readonly EnvelopeRequest[]): IngestEnvelope[] {
    const errors: FieldError[] = [];
    const valid: IngestEnvelope[] = [];
    envelopes.forEach((envelope, index) => {
      const checked = checkData(envelope, `events[${index}].data`);
      errors.push(...checked.errors);
      valid.push(checked.envelope);
    });
    if (errors.length > 0) throw badRequest('Some envelopes are not valid; nothing was stored', errors);
    return valid;
  }

  /**
   * One envelope that did not come through the HTTP body validation (a broker message, already parsed
   * from JSON): the same checks as POST /v1/events, answered as a 400 problem document instead of thrown.
   */
  check(raw: unknown): { envelope: IngestEnvelope } | { problem: ProblemDocument } {
    const invalid = (errors: readonly FieldError[]) => ({
      problem: badRequest('The envelope is not valid; nothing was stored', errors).toProblem(),
    });
    const unacceptable = unacceptableInput(raw);
    if (unacceptable.length > 0) return invalid(unacceptable);
    const shape = validatePlain(EnvelopeRequest, raw, '');
    if (shape.errors.length > 0) return invalid(shape.errors);
    const checked = checkData(shape.value, 'data');
    return checked.errors.length > 0 ? invalid(checked.errors) : { envelope: checked.envelope };
  }

  /**
   * The ingest pipeline's one entry point, for every transport (HTTP requests, broker batches): the
   * envelopes in order, in one transaction; resolves after the commit with one result per envelope.
   */
  async ingest(envelopes: readonly IngestEnvelope[], meta: CommandMetadata): Promise<IngestResult[]> {
    return this.database.transaction(async (tx) => {
      // Attempts are recorded in the settlement currency read here: it cannot change until the commit.
      // A request without any (clicks, opt-ins, payments of attempts already recorded) records no money.
      if (envelopes.some((envelope) => sliceOf(envelope.type).recordsMoney)) await holdSettlementCurrency(tx);
      await holdWriteModel(tx);
      for (let decision = 1; ; decision++) {
        try {
          return await this.decideAndWrite(envelopes, meta, tx, decision >= LOCK_FROM);
        } catch (error) {
          // The append failed and wrote nothing: decide again on what the other request committed.
          const lost = error instanceof ConcurrencyError || error instanceof EventIdConflictError;
          if (!lost || decision >= MAX_DECISIONS) throw error;
        }
      }
    });
  }

  private async decideAndWrite(
    envelopes: readonly IngestEnvelope[],
    meta: CommandMetadata,
    tx: Transaction,
    lockStreams: boolean,
  ): Promise<IngestResult[]> {
    const needs = new DecisionNeeds(await this.queries.settings(tx));
    for (const envelope of envelopes) sliceOf(envelope.type).needs(envelope, needs);
    if (lockStreams) await this.store.lockStreams([...needs.attempts].map(attemptStream), tx);
    const state = await this.loader.load(
      tx,
      needs,
      envelopes.map((e) => e.eventId),
    );
    const appends: DomainAppend[] = [];
    const decidedIn = new Map<string, { hash: string; index: number }>();
    const outcomes = envelopes.map((envelope, index) => decide(envelope, index, state, decidedIn, appends));
    return this.write(envelopes, outcomes, appends, meta, tx);
  }

  /** One append for the whole request, then the answers with their positions. */
  private async write(
    envelopes: readonly IngestEnvelope[],
    outcomes: readonly Outcome[],
    appends: readonly DomainAppend[],
    meta: CommandMetadata,
    tx: Transaction,
  ): Promise<IngestResult[]> {
    const written = appends.length > 0 ? (await this.writer.write(appends, meta, tx)).results : [];
    // An envelope whose every group was a duplicate was committed meanwhile by a concurrent delivery of
    // it (a client's retry racing its first attempt): answered with its own event's position.
    const raced = envelopes.filter((envelope, index) => {
      const outcome = entryAt(outcomes, index, 'outcome');
      return (
        outcome.kind === 'decided' &&
        written.slice(outcome.first, outcome.first + outcome.groups).every((r) => r.status === 'duplicate')
      );
    });
    const racedEvents = await this.store.findEvents(
      raced.map((e) => e.eventId),
      tx,
    );
    const results: IngestResult[] = [];
    outcomes.forEach((outcome, index) => {
      const envelope = entryAt(envelopes, index, 'envelope');
      if (outcome.kind === 'answered') {
        results.push(outcome.result);
        return;
      }
      if (outcome.kind === 'repeat') {
        const first = entryAt(results, outcome.of, 'result');
        results.push({
          eventId: envelope.eventId,
          status: 'duplicate',
          ...(first.position ? { position: first.position } : {}),
        });
        return;
      }
      const groups = written.slice(outcome.first, outcome.first + outcome.groups);
      const own = racedEvents.get(envelope.eventId);
      if (own) {
        results.push({
          eventId: envelope.eventId,
          status: 'duplicate',
          position: formatPosition(own.position),
        });
        return;
      }
      const position = groups.reduce<LogPosition>((max, r) => maxPosition(max, r.position), LOG_START);
      results.push({
        eventId: envelope.eventId,
        status: groups.every((r) => r.status === 'duplicate') ? 'duplicate' : 'accepted',
        position: formatPosition(position),
      });
    });
    return results;
  }
}

/** The entry at `index` of one of the parallel per-envelope lists, which always has one there. */
function entryAt<T>(entries: readonly T[], index: number, what: string): T {
  const entry = entries[index];
  if (entry === undefined) throw new Error(`No ${what} for envelope ${index} of ${entries.length}`);
  return entry;
}

/** One envelope's outcome; its appends (if any) are added to `appends` and folded into the state. */
function decide(
  envelope: IngestEnvelope,
  index: number,
  state: DecisionState,
  decidedIn: Map<string, { hash: string; index: number }>,
  appends: DomainAppend[],
): Outcome {
  const hash = envelopeHash(envelope);
  const answered = (result: IngestResult): Outcome => ({ kind: 'answered', result });
  const stored = state.stored.get(envelope.eventId);
  if (stored) {
    return answered(
      stored.metadata['envelopeHash'] === hash
        ? { eventId: envelope.eventId, status: 'duplicate', position: formatPosition(stored.position) }
        : idConflict(envelope),
    );
  }
  // The same eventId earlier in the request, and written: a duplicate of it, or a conflict.
  const earlier = decidedIn.get(envelope.eventId);
  if (earlier !== undefined) {
    return earlier.hash === hash ? { kind: 'repeat', of: earlier.index } : answered(idConflict(envelope));
  }
  let decided: DomainAppend[];
  try {
    decided = sliceOf(envelope.type).decide(envelope, state);
  } catch (error) {
    if (error instanceof ProblemError)
      return answered({ eventId: envelope.eventId, status: 'rejected', error: error.toProblem() });
    if (!isDomainRuleViolation(error)) throw error;
    return answered(rejected(envelope, domainRuleStatus(error.code), error.message, error.code, error.path));
  }
  // Same fact already recorded under another event id (e.g. the same attempt sent again).
  if (decided.length === 0) return answered({ eventId: envelope.eventId, status: 'duplicate' });
  const stamped = stampEnvelope(decided, envelope.eventId, hash);
  state.apply(stamped);
  decidedIn.set(envelope.eventId, { hash, index });
  const first = appends.length;
  appends.push(...stamped);
  return { kind: 'decided', first, groups: stamped.length };
}

function idConflict(envelope: IngestEnvelope): IngestResult {
  return rejected(envelope, 409, 'This eventId was already used for other content', 'event-id-conflict');
}

function rejected(
  envelope: IngestEnvelope,
  status: 409 | 422,
  detail: string,
  code: string,
  path?: string,
): IngestResult {
  const errors = path ? [{ path, message: detail }] : undefined;
  return {
    eventId: envelope.eventId,
    status: 'rejected',
    error: problem(status, detail, { code, ...(errors ? { errors } : {}) }),
  };
}

/** An envelope's data checked against the class of its type; paths start with `path`. */
function checkData(
  envelope: EnvelopeRequest,
  path: string,
): { envelope: IngestEnvelope; errors: readonly FieldError[] } {
  const dataClass: new () => object = DATA_CLASSES[envelope.type];
  const checked = validatePlain(dataClass, envelope.data, path);
  return {
    errors: checked.errors,
    // Plain data, not the validator's class instance: it is what gets hashed and stored.
    envelope: {
      eventId: envelope.eventId,
      type: envelope.type,
      occurredAt: new Date(envelope.occurredAt).toISOString(),
      data: (checked.errors.length > 0
        ? {}
        : JSON.parse(JSON.stringify(checked.value))) as IngestEnvelope['data'],
    },
  };
}

/** Puts the envelope's hash on the event that carries its id, for duplicate detection on retries. */
function stampEnvelope(appends: DomainAppend[], eventId: string, hash: string): DomainAppend[] {
  let found = false;
  const stamped = appends.map((append) => ({
    ...append,
    events: append.events.map((pending) => {
      if (pending.eventId !== eventId) return pending;
      found = true;
      return { ...pending, metadata: { ...pending.metadata, envelopeHash: hash } };
    }),
  }));
  if (!found) throw new Error(`The handler produced no event with the envelope's id ${eventId}`);
  return stamped;
}
