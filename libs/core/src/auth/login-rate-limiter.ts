/**
 * Slows down password guessing at the Partner Center sign-in: failed attempts per partner code and per
 * IP address in a sliding window. Kept in memory: each process counts its own.
 */
import { Injectable } from '@nestjs/common';

export interface RateLimit {
  readonly maxFailures: number;
  readonly windowMs: number;
}

@Injectable()
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();
  readonly perCode: RateLimit = { maxFailures: 5, windowMs: 15 * 60_000 };
  readonly perIp: RateLimit = { maxFailures: 20, windowMs: 15 * 60_000 };

  /** Seconds to wait before trying again, or 0 when a sign-in may be attempted. */
  retryAfter(code: string, ip: string, now = Date.now()): number {
    return Math.max(
      this.wait(`code:${code.toLowerCase()}`, this.perCode, now),
      this.wait(`ip:${ip}`, this.perIp, now),
    );
  }

  recordFailure(code: string, ip: string, now = Date.now()): void {
    for (const key of [`code:${code.toLowerCase()}`, `ip:${ip}`]) {
      const list = this.failures.get(key) ?? [];
      list.push(now);
      this.failures.set(key, list);
    }
    if (this.failures.size > 100_000) this.prune(now);
  }

  recordSuccess(code: string): void {
    this.failures.delete(`code:${code.toLowerCase()}`);
  }

  private wait(key: string, limit: RateLimit, now: number): number {
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < limit.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    else this.failures.set(key, recent);
    if (recent.length < limit.maxFailures) return 0;
    const oldest = recent[recent.length - limit.maxFailures] ?? now;
    return Math.max(1, Math.ceil((oldest + limit.windowMs - now) / 1000));
  }

  private prune(now: number): void {
    const longest = Math.max(this.perCode.windowMs, this.perIp.windowMs);
    for (const [key, list] of this.failures)
      if (list.every((t) => now - t >= longest)) this.failures.delete(key);
  }
}
