/**
 * Group commit: concurrent small ingest calls (tracking redirects, single-envelope requests) are gathered
 * for a few milliseconds (GROUP_COMMIT_WINDOW_MS, at most GROUP_COMMIT_MAX_ENVELOPES) and sent through one
 * `IngestService.ingest` call, so one transaction and one commit carry them all instead of one each.
 * Every caller is answered only after that commit, with its own results: what a caller is told is
 * accepted is durable.
 *
 * Concurrent callers have no defined order (docs/guarantees.md, "Ordering"), so gathering them in arrival
 * order changes no answer; each caller's own envelopes stay together and in order. Rejections are
 * per-envelope results, not failures; should the shared transaction fail all the same (an unexpected
 * error that may be one caller's own), nothing of it was committed and every caller runs again alone,
 * so each gets its own answer and no one's failure is another's. Each process groups its own callers;
 * between processes the event store's idempotency and concurrency checks decide, as for any two requests.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, Batcher, type Settled, isDatabaseUnavailable } from '@app/platform';
import { APP_CONFIG } from '../../infrastructure/tokens';
import type { CommandMetadata } from '../../write-model/event-writer';
import type { IngestEnvelope } from '../ingest-slice';
import { type IngestResult, IngestService } from '../ingest.service';

interface Call {
  readonly envelopes: readonly IngestEnvelope[];
  readonly meta: CommandMetadata;
}

@Injectable()
export class GroupCommitter {
  private readonly batcher: Batcher<Call, IngestResult[]>;

  constructor(
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.batcher = new Batcher(
      { windowMs: config.groupCommit.windowMs, maxSize: config.groupCommit.maxEnvelopes },
      (_, calls) => this.commit(calls),
    );
  }

  /** The same answer as `IngestService.ingest(envelopes, meta)`, committed together with concurrent calls. */
  submit(envelopes: readonly IngestEnvelope[], meta: CommandMetadata): Promise<IngestResult[]> {
    // One ingest call carries one metadata: callers of different actors form different groups.
    const key = JSON.stringify([meta.actor, meta.correlationId ?? null, meta.causationId ?? null]);
    return this.batcher.submit(key, { envelopes, meta }, envelopes.length);
  }

  private async commit(calls: readonly Call[]): Promise<Settled<IngestResult[]>[]> {
    const [first, ...others] = calls;
    if (!first) return [];
    if (others.length === 0) return [await this.alone(first)];
    let results: IngestResult[];
    try {
      // The calls of one group share their metadata (the group key).
      results = await this.ingest.ingest(
        calls.flatMap((call) => call.envelopes),
        first.meta,
      );
    } catch (error) {
      // The database being unreachable is no one's own failure: running each alone would only repeat it.
      if (isDatabaseUnavailable(error)) return calls.map(() => ({ error }));
      return Promise.all(calls.map((call) => this.alone(call)));
    }
    // Committed: a mismatch here fails the callers (a 500) rather than running them again.
    return split(results, calls).map((value) => ({ value }));
  }

  private async alone(call: Call): Promise<Settled<IngestResult[]>> {
    try {
      return { value: await this.ingest.ingest(call.envelopes, call.meta) };
    } catch (error) {
      return { error };
    }
  }
}

/** Each call's results: as many as it sent, in the order of the shared call. */
function split(results: readonly IngestResult[], calls: readonly Call[]): IngestResult[][] {
  let offset = 0;
  return calls.map((call) => {
    const own = results.slice(offset, offset + call.envelopes.length);
    offset += call.envelopes.length;
    call.envelopes.forEach((envelope, index) => {
      if (own[index]?.eventId !== envelope.eventId)
        throw new Error(`ingest answered ${own[index]?.eventId ?? 'nothing'} for ${envelope.eventId}`);
    });
    return own;
  });
}
