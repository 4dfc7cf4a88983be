import { nextAttemptAt, retryDelayMs, type RetryPolicy } from './retry-schedule';

const HOUR = 60 * 60_000;
const DEFAULTS: RetryPolicy = { baseDelayMs: 10_000, maxDelayMs: HOUR, retryWindowMs: 24 * HOUR };

/** Every attempt fails: the instants of all attempts until the delivery is given up. */
function attemptsUntilFailed(policy: RetryPolicy, random: () => number): number[] {
  const first = new Date('2026-01-01T00:00:00Z');
  const times = [first.getTime()];
  for (;;) {
    const now = new Date(times[times.length - 1]!);
    const next = nextAttemptAt(times.length, first, now, policy, random);
    if (next === null) return times.map((t) => t - first.getTime());
    times.push(next.getTime());
    if (times.length > 1000) throw new Error('never gives up');
  }
}

describe('retry schedule', () => {
  it('retries the first time within 30 seconds', () => {
    for (const r of [0, 0.5, 0.999]) {
      const delay = retryDelayMs(1, DEFAULTS, () => r);
      expect(delay).toBeGreaterThanOrEqual(5_000);
      expect(delay).toBeLessThanOrEqual(10_000);
    }
  });

  it('doubles the wait with jitter, and never waits longer than the cap', () => {
    const lowest = [1, 2, 3, 4].map((n) => retryDelayMs(n, DEFAULTS, () => 0));
    expect(lowest).toEqual([5_000, 10_000, 20_000, 40_000]);
    const highest = [1, 2, 3, 4].map((n) => retryDelayMs(n, DEFAULTS, () => 0.9999999));
    expect(highest).toEqual([10_000, 20_000, 40_000, 80_000]);
    for (let n = 1; n < 60; n++) expect(retryDelayMs(n, DEFAULTS, Math.random)).toBeLessThanOrEqual(HOUR);
    expect(retryDelayMs(500, DEFAULTS, () => 0)).toBe(HOUR / 2);
  });

  it.each([
    ['no jitter', () => 0],
    ['most jitter', () => 0.9999999],
    ['random jitter', Math.random],
  ])('keeps retrying for at least 24 hours, then gives up (%s)', (_name, random) => {
    const times = attemptsUntilFailed(DEFAULTS, random);
    const last = times[times.length - 1]!;
    const beforeLast = times[times.length - 2]!;
    expect(last).toBeGreaterThanOrEqual(24 * HOUR);
    expect(beforeLast).toBeLessThan(24 * HOUR); // it stops at the first failure past the window
    expect(last).toBeLessThan(24 * HOUR + HOUR);
    expect(times.length).toBeGreaterThan(20);
    expect(times.length).toBeLessThan(60);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
  });

  it('gives up at once when the window is over', () => {
    const first = new Date('2026-01-01T00:00:00Z');
    const later = new Date(first.getTime() + 24 * HOUR);
    expect(nextAttemptAt(3, first, later, DEFAULTS)).toBeNull();
    expect(nextAttemptAt(3, first, new Date(later.getTime() - 1), DEFAULTS)).not.toBeNull();
  });
});
