/**
 * Group commit: concurrent small ingest calls (tracking redirects, single-envelope requests) are gathered
 * for a few milliseconds and sent through one `IngestService.ingest` call, so one transaction and one
 * commit carry them all instead of one each. Every caller's promise settles only after that commit, with
 * its own results, so what a caller is told is accepted is durable.
 *
 * Concurrent callers have no defined order (docs/guarantees.md, "Ordering"), so gathering them in arrival
 * order changes no answer; each caller's own envelopes stay together and in order. Rejections are
 * per-envelope results, not failures; should the shared transaction fail all the same (an unexpected
 * error that may be one caller's own), nothing of it was committed and every caller is run again alone,
 * so each gets its own answer and no one's failure is another's. Each process groups its own callers;
 * between processes the event store's idempotency and concurrency checks decide, as for any two requests.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, isDatabaseUnavailable } from '@app/platform';
import { APP_CONFIG } from '../../infrastructure/tokens';
import type { CommandMetadata } from '../../write-model/event-writer';
import type { IngestEnvelope } from '../envelope-handler';
import { type IngestResult, IngestService } from '../ingest.service';

interface Caller {
  readonly envelopes: readonly IngestEnvelope[];
  readonly answer: (results: IngestResult[]) => void;
  readonly fail: (error: unknown) => void;
}

interface Group {
  readonly key: string;
  readonly meta: CommandMetadata;
  readonly callers: Caller[];
  envelopes: number;
  timer: NodeJS.Timeout | null;
}

@Injectable()
export class GroupCommitter {
  /** The group still gathering, per metadata: one ingest call carries one actor. */
  private readonly gathering = new Map<string, Group>();
  private readonly windowMs: number;
  private readonly maxEnvelopes: number;

  constructor(
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.windowMs = config.groupCommit.windowMs;
    this.maxEnvelopes = config.groupCommit.maxEnvelopes;
  }

  /** The same answer as `IngestService.ingest(envelopes, meta)`, committed together with concurrent calls. */
  submit(envelopes: readonly IngestEnvelope[], meta: CommandMetadata): Promise<IngestResult[]> {
    const key = JSON.stringify([meta.actor, meta.correlationId ?? null, meta.causationId ?? null]);
    let group = this.gathering.get(key);
    if (group && group.envelopes + envelopes.length > this.maxEnvelopes) {
      this.close(group);
      group = undefined;
    }
    if (!group) group = this.open(key, meta);
    const answered = new Promise<IngestResult[]>((answer, fail) => {
      group.callers.push({ envelopes, answer, fail });
    });
    group.envelopes += envelopes.length;
    if (group.envelopes >= this.maxEnvelopes) this.close(group);
    return answered;
  }

  private open(key: string, meta: CommandMetadata): Group {
    const group: Group = { key, meta, callers: [], envelopes: 0, timer: null };
    this.gathering.set(key, group);
    group.timer = setTimeout(() => this.close(group), this.windowMs);
    return group;
  }

  /** Stops gathering and commits what the group holds. */
  private close(group: Group): void {
    if (group.timer) clearTimeout(group.timer);
    group.timer = null;
    if (this.gathering.get(group.key) !== group) return;
    this.gathering.delete(group.key);
    void this.commit(group.callers, group.meta);
  }

  private async commit(callers: readonly Caller[], meta: CommandMetadata): Promise<void> {
    if (callers.length === 1) return this.alone(callers[0]!, meta);
    let answers: IngestResult[][];
    try {
      const results = await this.ingest.ingest(
        callers.flatMap((caller) => caller.envelopes),
        meta,
      );
      answers = split(results, callers);
    } catch (error) {
      // The database being unreachable is no one's own failure: running each alone would only repeat it.
      if (isDatabaseUnavailable(error)) {
        for (const caller of callers) caller.fail(error);
        return;
      }
      await Promise.all(callers.map((caller) => this.alone(caller, meta)));
      return;
    }
    callers.forEach((caller, index) => caller.answer(answers[index]!));
  }

  private async alone(caller: Caller, meta: CommandMetadata): Promise<void> {
    try {
      caller.answer(await this.ingest.ingest(caller.envelopes, meta));
    } catch (error) {
      caller.fail(error);
    }
  }
}

/** Each caller's results: as many as it sent, in the order of the shared call. */
function split(results: readonly IngestResult[], callers: readonly Caller[]): IngestResult[][] {
  const total = callers.reduce((sum, caller) => sum + caller.envelopes.length, 0);
  if (results.length !== total) throw new Error(`ingest answered ${results.length} results for ${total}`);
  let offset = 0;
  return callers.map((caller) => {
    const own = results.slice(offset, offset + caller.envelopes.length);
    offset += caller.envelopes.length;
    own.forEach((result, index) => {
      if (result.eventId !== caller.envelopes[index]!.eventId)
        throw new Error(`result ${result.eventId} is not for ${caller.envelopes[index]!.eventId}`);
    });
    return own;
  });
}
