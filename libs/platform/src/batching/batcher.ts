/**
 * Gathers concurrent calls for at most `windowMs` (or until the items' sizes reach `maxSize`) and runs
 * them as one batch, separately per key. The batch answers each item on its own (a value or an error),
 * so one item's failure is never another's answer.
 */
export type Settled<O> = { readonly value: O } | { readonly error: unknown };

export interface BatchLimits {
  /** How long the first item of a batch waits for others; 0: only the items of the same tick. */
  readonly windowMs: number;
  /** A batch runs at once when its items' sizes add up to this. */
  readonly maxSize: number;
}

interface Pending<I, O> {
  readonly item: I;
  readonly answer: (value: O) => void;
  readonly fail: (error: unknown) => void;
}

interface Gathering<I, O> {
  readonly key: string;
  readonly pending: Pending<I, O>[];
  size: number;
  timer: NodeJS.Timeout | null;
}

export class Batcher<I, O> {
  private readonly gathering = new Map<string, Gathering<I, O>>();

  constructor(
    private readonly limits: BatchLimits,
    /** One result per item, in order; a throw fails every item of the batch with that error. */
    private readonly run: (key: string, items: readonly I[]) => Promise<readonly Settled<O>[]>,
  ) {}

  submit(key: string, item: I, size = 1): Promise<O> {
    let batch = this.gathering.get(key);
    if (batch && batch.size + size > this.limits.maxSize) {
      this.close(batch);
      batch = undefined;
    }
    if (!batch) batch = this.open(key);
    const open = batch;
    const answered = new Promise<O>((answer, fail) => open.pending.push({ item, answer, fail }));
    open.size += size;
    if (open.size >= this.limits.maxSize) this.close(open);
    return answered;
  }

  private open(key: string): Gathering<I, O> {
    const batch: Gathering<I, O> = { key, pending: [], size: 0, timer: null };
    this.gathering.set(key, batch);
    batch.timer = setTimeout(() => this.close(batch), this.limits.windowMs);
    return batch;
  }

  private close(batch: Gathering<I, O>): void {
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = null;
    if (this.gathering.get(batch.key) !== batch) return;
    this.gathering.delete(batch.key);
    void this.settle(batch);
  }

  private async settle({ key, pending }: Gathering<I, O>): Promise<void> {
    let results: readonly Settled<O>[];
    try {
      results = await this.run(
        key,
        pending.map((p) => p.item),
      );
      if (results.length !== pending.length)
        throw new Error(`a batch of ${pending.length} answered ${results.length} results`);
    } catch (error) {
      for (const p of pending) p.fail(error);
      return;
    }
    pending.forEach((p, index) => {
      const result = results[index];
      if (!result) p.fail(new Error(`no result for item ${index} of the batch`));
      else if ('value' in result) p.answer(result.value);
      else p.fail(result.error);
    });
  }
}
