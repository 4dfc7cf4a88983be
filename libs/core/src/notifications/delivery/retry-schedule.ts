/**
 * When a failed email or webhook is tried again: exponential backoff with jitter, for a retry window
 * (24 hours by default) counted from the first attempt, after which the delivery is marked failed.
 * Pure, so the 24-hour schedule is tested without waiting for it.
 */

export interface RetryPolicy {
  /** The first retry waits between half of this and this. */
  readonly baseDelayMs: number;
  /** No wait is longer than this. */
  readonly maxDelayMs: number;
  /** Retries go on while less than this has passed since the first attempt. */
  readonly retryWindowMs: number;
}

/** The policy the configuration sets (the same for emails and webhooks). */
export function configuredRetryPolicy(notifications: {
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly retryWindowMs: number;
}): RetryPolicy {
  return {
    baseDelayMs: notifications.retryBaseDelayMs,
    maxDelayMs: notifications.retryMaxDelayMs,
    retryWindowMs: notifications.retryWindowMs,
  };
}

/**
 * The wait before retry number `retry` (1 = the first retry): base x 2^(retry-1), capped, with "equal
 * jitter" (half fixed, half random) so that receivers coming back from an outage are not hit by every
 * delivery at the same moment. `random` returns a number in [0, 1).
 */
export function retryDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(retry, 1) - 1, 52);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

/**
 * After `failedAttempts` failed attempts (the first at `firstAttemptAt`, the last just now): when to try
 * again, or null when the retry window is over and the delivery is failed.
 */
export function nextAttemptAt(
  failedAttempts: number,
  firstAttemptAt: Date,
  now: Date,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Date | null {
  if (now.getTime() - firstAttemptAt.getTime() >= policy.retryWindowMs) return null;
  return new Date(now.getTime() + retryDelayMs(failedAttempts, policy, random));
}
