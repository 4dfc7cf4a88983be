import { Batcher, type Settled } from './batcher';

/** A batcher that records each batch it runs and answers every item doubled (or an error for "bad"). */
function doubling(limits = { windowMs: 5, maxSize: 4 }) {
  const batches: { key: string; items: readonly number[] }[] = [];
  const batcher = new Batcher<number, number>(limits, async (key, items) => {
    batches.push({ key, items });
    return items.map((item): Settled<number> =>
      item < 0 ? { error: new Error(`bad ${item}`) } : { value: 2 * item },
    );
  });
  return { batcher, batches };
}

describe('Batcher', () => {
  it('runs the items of one moment as one batch, answering each its own result', async () => {
    const { batcher, batches } = doubling();
    const answers = await Promise.all([
      batcher.submit('k', 1),
      batcher.submit('k', 2),
      batcher.submit('k', 3),
    ]);
    expect(answers).toEqual([2, 4, 6]);
    expect(batches).toEqual([{ key: 'k', items: [1, 2, 3] }]);
  });

  it('fails only the item whose result is an error', async () => {
    const { batcher } = doubling();
    const settled = await Promise.allSettled([
      batcher.submit('k', 1),
      batcher.submit('k', -1),
      batcher.submit('k', 3),
    ]);
    expect(settled).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('bad -1') },
      { status: 'fulfilled', value: 6 },
    ]);
  });

  it('keeps keys apart and starts a new batch when the next item would pass maxSize', async () => {
    const { batcher, batches } = doubling({ windowMs: 5, maxSize: 4 });
    await Promise.all([
      batcher.submit('a', 1, 3),
      batcher.submit('b', 2),
      batcher.submit('a', 3, 2),
      batcher.submit('a', 4, 2),
    ]);
    expect(batches).toEqual([
      { key: 'a', items: [1] },
      // Full at once (2 + 2 of 4), before b's window ends.
      { key: 'a', items: [3, 4] },
      { key: 'b', items: [2] },
    ]);
  });

  it('fails every item of a batch whose run throws, and runs the next batch normally', async () => {
    let calls = 0;
    const batcher = new Batcher<number, number>({ windowMs: 0, maxSize: 10 }, async (_, items) => {
      if (calls++ === 0) throw new Error('down');
      return items.map((value) => ({ value }));
    });
    const first = await Promise.allSettled([batcher.submit('k', 1), batcher.submit('k', 2)]);
    expect(first.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(await batcher.submit('k', 3)).toBe(3);
  });

  it('fails the items when the run answers the wrong number of results', async () => {
    const batcher = new Batcher<number, number>({ windowMs: 0, maxSize: 10 }, async () => [{ value: 1 }]);
    await expect(Promise.all([batcher.submit('k', 1), batcher.submit('k', 2)])).rejects.toThrow(
      'a batch of 2 answered 1 results',
    );
  });
});
