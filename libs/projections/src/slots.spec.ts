import { Slots } from './slots';

describe('Slots', () => {
  it('runs at most its size at once, the others in arrival order, and passes results and errors on', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const work = (i: number) =>
      slots.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running--;
        if (i === 3) throw new Error('three');
        return i;
      });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(work));
    expect(most).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      1,
      2,
      'three',
      4,
      5,
    ]);
    // Every slot came back: two more run together at once.
    running = 0;
    most = 0;
    await Promise.all([6, 7].map(work));
    expect(most).toBe(2);
  });
});
