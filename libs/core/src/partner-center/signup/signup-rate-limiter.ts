/**
 * Slows down bulk sign-ups: every sign-up attempt (successful or not) counts against the caller's IP
 * address in a sliding window, like the sign-in limiter. Kept in memory: each process counts its own.
 */
import { Injectable } from '@nestjs/common';

@Injectable()
export class SignupRateLimiter {
  private readonly attempts = new Map<string, number[]>();
  /** Sign-up attempts per IP address and window. */
  limit = { maxAttempts: 10, windowMs: 60 * 60_000 };

  /** Records an attempt; answers the seconds to wait when it is one too many (0: go ahead). */
  hit(ip: string, now = Date.now()): number {
    const recent = (this.attempts.get(ip) ?? []).filter((t) => now - t < this.limit.windowMs);
    if (recent.length >= this.limit.maxAttempts) {
      this.attempts.set(ip, recent);
      const oldest = recent[recent.length - this.limit.maxAttempts] ?? now;
      return Math.max(1, Math.ceil((oldest + this.limit.windowMs - now) / 1000));
    }
    recent.push(now);
    this.attempts.set(ip, recent);
    if (this.attempts.size > 100_000) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [key, list] of this.attempts)
      if (list.every((t) => now - t >= this.limit.windowMs)) this.attempts.delete(key);
  }
}
