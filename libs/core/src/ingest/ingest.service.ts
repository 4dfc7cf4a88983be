/**
 * Processes an ingest request: envelopes in order, in one transaction, each under its own savepoint so
 * that a rejected envelope undoes only itself. The answer is sent after the commit, so everything
 * reported accepted is durable; if the commit fails the client gets an error and retries the batch.
 */
import { Inject, Injectable } from '@nestjs/common';
import { domainRuleStatus, isDomainRuleViolation } from '@app/domain';
import {
  ConcurrencyError,
  EVENT_STORE,
  EventIdConflictError,
  type EventStore,
  canonicalJson,
  formatPosition,
  sha256,
} from '@app/event-store';
import {
  Database,
  type FieldError,
  ProblemError,
  type ProblemDocument,
  badRequest,
  problem,
  unacceptableInput,
  validatePlain,
} from '@app/platform';
import { holdSettlementCurrency } from '../configuration/settlement-currency';
import { ClickBatch } from '../tracking/link-clicked/click-batch';
import { type CommandMetadata, type DomainAppend, EventWriter } from '../write-model/event-writer';
import { WriteModelQueries } from '../write-model/write-model.queries';
import { DATA_CLASSES, EnvelopeRequest, type IngestType } from './envelope.request';
import {
  ENVELOPE_HANDLERS,
  type EnvelopeHandler,
  type IngestContext,
  type IngestEnvelope,
} from './envelope-handler';

export interface IngestResult {
  readonly eventId: string;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly position?: string;
  readonly error?: ProblemDocument;
}

const MAX_ATTEMPTS_PER_ENVELOPE = 4;
/** Shorter runs of clicks go envelope by envelope: batching them would not pay off. */
const CLICK_RUN_MIN = 4;

export function envelopeHash(envelope: Pick<IngestEnvelope, 'type' | 'occurredAt' | 'data'>): string {
  return sha256(canonicalJson({ type: envelope.type, occurredAt: envelope.occurredAt, data: envelope.data }));
}

@Injectable()
export class IngestService {
  private readonly handlers: ReadonlyMap<IngestType, EnvelopeHandler>;

  constructor(
    private readonly database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly writer: EventWriter,
    private readonly queries: WriteModelQueries,
    @Inject(ENVELOPE_HANDLERS) handlers: EnvelopeHandler[],
    private readonly clicks: ClickBatch,
  ) {
    this.handlers = new Map(handlers.map((h) => [h.type, h]));
  }

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
      await holdSettlementCurrency(tx);
      const context: IngestContext = { tx, settings: await this.queries.settings(tx) };
      const results: IngestResult[] = [];
      for (let index = 0; index < envelopes.length;) {
        let end = index;
        while (end < envelopes.length && envelopes[end]!.type === 'LinkClicked') end++;
        if (end - index >= CLICK_RUN_MIN) {
          const run = envelopes.slice(index, end) as IngestEnvelope<'LinkClicked'>[];
          const batch = await this.clickRun(run, context, meta);
          if (batch) {
            results.push(...batch);
            index = end;
            continue;
          }
        }
        results.push(await this.one(envelopes[index]!, context, meta));
        index++;
      }
      return results;
    });
  }

  /**
   * A run of clicks in one go (see ClickBatch), appended together under one savepoint. Answers null
   * when the run must go envelope by envelope instead (a concurrent request stored one of its ids).
   */
  private async clickRun(
    run: readonly IngestEnvelope<'LinkClicked'>[],
    context: IngestContext,
    meta: CommandMetadata,
  ): Promise<IngestResult[] | null> {
    const known = await this.store.findEvents(
      run.map((e) => e.eventId),
      context.tx,
    );
    const results: (IngestResult | null)[] = [];
    const fresh: { envelope: IngestEnvelope<'LinkClicked'>; hash: string; slot: number }[] = [];
    const firstInRun = new Map<string, { hash: string; slot: number }>();
    for (const envelope of run) {
      const hash = envelopeHash(envelope);
      const stored = known.get(envelope.eventId);
      const earlier = firstInRun.get(envelope.eventId);
      if (stored) {
        results.push(
          stored.metadata['envelopeHash'] === hash
            ? { eventId: envelope.eventId, status: 'duplicate', position: formatPosition(stored.position) }
            : this.rejected(
                envelope,
                409,
                'This eventId was already used for other content',
                'event-id-conflict',
              ),
        );
      } else if (earlier) {
        // The same envelope twice in one request: the second is a duplicate of the first (filled in below).
        results.push(
          earlier.hash === hash
            ? { eventId: envelope.eventId, status: 'duplicate', position: `#${earlier.slot}` }
            : this.rejected(
                envelope,
                409,
                'This eventId was already used for other content',
                'event-id-conflict',
              ),
        );
      } else {
        firstInRun.set(envelope.eventId, { hash, slot: results.length });
        fresh.push({ envelope, hash, slot: results.length });
        results.push(null);
      }
    }
    const prepared = await this.clicks.prepare(
      fresh.map((f) => f.envelope),
      context.settings.codePrefix,
      context.tx,
    );
    const appends: DomainAppend[] = [];
    const firstGroup = new Map<number, number>();
    prepared.forEach((outcome, i) => {
      const { envelope, hash, slot } = fresh[i]!;
      if ('violation' in outcome) {
        const v = outcome.violation;
        results[slot] = this.rejected(envelope, domainRuleStatus(v.code), v.message, v.code, v.path);
        return;
      }
      firstGroup.set(slot, appends.length);
      appends.push(...stampEnvelope(outcome.appends, envelope.eventId, hash));
    });
    if (appends.length > 0) {
      let written: Awaited<ReturnType<EventWriter['write']>>;
      try {
        written = await context.tx.savepoint(() => this.writer.write(appends, meta, context.tx));
      } catch (error) {
        if (error instanceof EventIdConflictError || error instanceof ConcurrencyError) return null;
        throw error;
      }
      // A duplicate group was committed meanwhile by a concurrent request: its own event's position.
      const duplicates = [...firstGroup].filter(
        ([, group]) => written.results[group]?.status === 'duplicate',
      );
      const stored = await this.store.findEvents(
        duplicates.map(([slot]) => run[slot]!.eventId),
        context.tx,
      );
      for (const [slot, group] of firstGroup) {
        const result = written.results[group];
        const own = stored.get(run[slot]!.eventId);
        const position = own?.position ?? result?.position;
        results[slot] = {
          eventId: run[slot]!.eventId,
          status: result?.status === 'duplicate' ? 'duplicate' : 'accepted',
          ...(position ? { position: formatPosition(position) } : {}),
        };
      }
    }
    return results.map((result, slot) => {
      if (!result) throw new Error(`click ${run[slot]!.eventId} has no result`);
      if (!result.position?.startsWith('#')) return result;
      // A repeat within the request shares the fate of its first occurrence.
      const first = results[Number(result.position.slice(1))];
      if (!first || first.status === 'rejected') return { ...(first ?? result), eventId: result.eventId };
      return {
        eventId: result.eventId,
        status: 'duplicate',
        ...(first.position ? { position: first.position } : {}),
      };
    });
  }

  private async one(
    envelope: IngestEnvelope,
    context: IngestContext,
    meta: CommandMetadata,
  ): Promise<IngestResult> {
    const hash = envelopeHash(envelope);
    for (let attempt = 1; ; attempt++) {
      try {
        return await context.tx.savepoint(() => this.process(envelope, hash, context, meta));
      } catch (error) {
        if (isDomainRuleViolation(error) || error instanceof ProblemError) {
          // What refused the envelope may be the envelope itself, committed by a concurrent delivery (a
          // client's retry racing its first attempt) after process() looked for its eventId: say so.
          const recorded = await this.recorded(envelope, hash, context.tx);
          if (recorded) return recorded;
          if (error instanceof ProblemError) {
            return { eventId: envelope.eventId, status: 'rejected', error: error.toProblem() };
          }
          return this.rejected(envelope, domainRuleStatus(error.code), error.message, error.code, error.path);
        }
        // Another request changed the same stream or stored the same event id meanwhile: decide
        // again on the state it left (the retry also recognises a duplicate it committed).
        if (
          (error instanceof ConcurrencyError || error instanceof EventIdConflictError) &&
          attempt < MAX_ATTEMPTS_PER_ENVELOPE
        ) {
          // Retry as the stream's next writer: with many requests on one stream (parallel refunds of
          // an attempt) an unlocked retry can lose every time, and the whole request used to fail.
          if (error instanceof ConcurrencyError) await this.store.lockStream(error.streamId, context.tx);
          continue;
        }
        if (error instanceof EventIdConflictError) {
          return this.rejected(
            envelope,
            409,
            'This eventId was already used for other content',
            'event-id-conflict',
          );
        }
        throw error;
      }
    }
  }

  private async process(
    envelope: IngestEnvelope,
    hash: string,
    context: IngestContext,
    meta: CommandMetadata,
  ): Promise<IngestResult> {
    const recorded = await this.recorded(envelope, hash, context.tx);
    if (recorded) return recorded;
    const handler = this.handlers.get(envelope.type);
    if (!handler) throw new Error(`No handler for ${envelope.type}`);
    const appends = await handler.handle(envelope, context);
    if (appends.length === 0) {
      // Same fact already recorded under another event id (e.g. the same attempt sent again).
      return { eventId: envelope.eventId, status: 'duplicate' };
    }
    const written = await this.writer.write(stampEnvelope(appends, envelope.eventId, hash), meta, context.tx);
    if (written.duplicate) {
      // A concurrent delivery of this envelope committed between the look-up above and the append: answer
      // as to a resend, with the position of the envelope's own event rather than of its last derived one.
      const recorded = await this.recorded(envelope, hash, context.tx);
      if (recorded) return recorded;
    }
    return {
      eventId: envelope.eventId,
      status: written.duplicate ? 'duplicate' : 'accepted',
      position: written.position,
    };
  }

  /** The answer for an eventId that is already in the log: duplicate (same content) or a 409. */
  private async recorded(
    envelope: IngestEnvelope,
    hash: string,
    tx: IngestContext['tx'],
  ): Promise<IngestResult | null> {
    const existing = await this.store.findEvent(envelope.eventId, tx);
    if (!existing) return null;
    if (existing.metadata['envelopeHash'] === hash) {
      return { eventId: envelope.eventId, status: 'duplicate', position: formatPosition(existing.position) };
    }
    return this.rejected(
      envelope,
      409,
      'This eventId was already used for other content',
      'event-id-conflict',
    );
  }

  private rejected(
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
