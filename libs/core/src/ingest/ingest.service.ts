/**
 * Processes an ingest request: envelopes in order, in one transaction, each under its own savepoint so
 * that a rejected envelope undoes only itself. The answer is sent after the commit, so everything
 * reported accepted is durable; if the commit fails the client gets an error and retries the batch.
 */
import { Inject, Injectable } from '@nestjs/common';
import { isDomainRuleViolation } from '@app/domain';
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
  validatePlain,
} from '@app/platform';
import { type CommandMetadata, type DomainAppend, EventWriter } from '../write-model/event-writer';
import { WriteModelQueries } from '../write-model/write-model.queries';
import { DATA_CLASSES, type EnvelopeRequest, type IngestType } from './envelope.request';
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
  ) {
    this.handlers = new Map(handlers.map((h) => [h.type, h]));
  }

  /** Checks every envelope's data; any problem fails the whole request with every path listed. */
  validate(envelopes: readonly EnvelopeRequest[]): IngestEnvelope[] {
    const errors: FieldError[] = [];
    const valid: IngestEnvelope[] = [];
    envelopes.forEach((envelope, index) => {
      const dataClass: new () => object = DATA_CLASSES[envelope.type];
      const checked = validatePlain(dataClass, envelope.data, `events[${index}].data`);
      errors.push(...checked.errors);
      // Plain data, not the validator's class instance: it is what gets hashed and stored.
      valid.push({
        eventId: envelope.eventId,
        type: envelope.type,
        occurredAt: new Date(envelope.occurredAt).toISOString(),
        data: JSON.parse(JSON.stringify(checked.value)) as IngestEnvelope['data'],
      });
    });
    if (errors.length > 0) throw badRequest('Some envelopes are not valid; nothing was stored', errors);
    return valid;
  }

  async ingest(envelopes: readonly IngestEnvelope[], meta: CommandMetadata): Promise<IngestResult[]> {
    return this.database.transaction(async (tx) => {
      const context: IngestContext = { tx, settings: await this.queries.settings(tx) };
      const results: IngestResult[] = [];
      for (const envelope of envelopes) results.push(await this.one(envelope, context, meta));
      return results;
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
        if (isDomainRuleViolation(error)) {
          return this.rejected(envelope, 422, error.message, error.code, error.path);
        }
        if (error instanceof ProblemError) {
          return { eventId: envelope.eventId, status: 'rejected', error: error.toProblem() };
        }
        // Another request changed the same stream or stored the same event id meanwhile: decide
        // again on the state it left (the retry also recognises a duplicate it committed).
        if (
          (error instanceof ConcurrencyError || error instanceof EventIdConflictError) &&
          attempt < MAX_ATTEMPTS_PER_ENVELOPE
        ) {
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
    const existing = await this.store.findEvent(envelope.eventId, context.tx);
    if (existing) {
      if (existing.metadata['envelopeHash'] === hash) {
        return {
          eventId: envelope.eventId,
          status: 'duplicate',
          position: formatPosition(existing.position),
        };
      }
      return this.rejected(
        envelope,
        409,
        'This eventId was already used for other content',
        'event-id-conflict',
      );
    }
    const handler = this.handlers.get(envelope.type);
    if (!handler) throw new Error(`No handler for ${envelope.type}`);
    const appends = await handler.handle(envelope, context);
    if (appends.length === 0) {
      // Same fact already recorded under another event id (e.g. the same attempt sent again).
      return { eventId: envelope.eventId, status: 'duplicate' };
    }
    const written = await this.writer.write(stampEnvelope(appends, envelope.eventId, hash), meta, context.tx);
    return {
      eventId: envelope.eventId,
      status: written.duplicate ? 'duplicate' : 'accepted',
      position: written.position,
    };
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
