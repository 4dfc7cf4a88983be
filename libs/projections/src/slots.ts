/**
 * At most `size` pieces of work at once; the others wait in arrival order. The runner uses it to
 * bound how many rebuild pages are held in memory and applied at the same moment.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Bad number of slots ${size}`);
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot goes straight to the next in line, or back to the free ones.
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
