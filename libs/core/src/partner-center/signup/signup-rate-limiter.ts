/**
 * Slows down bulk sign-ups: every sign-up attempt (successful or not) counts against the caller's IP
 * address in a sliding window. Counted by the shared AttemptLimiter in PostgreSQL, so every process of
 * the service shares one count; an attempt is never released.
 */
import { Injectable } from '@nestjs/common';
import { AttemptLimiter } from '../../auth/attempt-limiter';

@Injectable()
export class SignupRateLimiter {
  /** Sign-up attempts per IP address and window. */
  limit = { maxAttempts: 10, windowMs: 60 * 60_000 };

  constructor(private readonly attempts: AttemptLimiter) {}

  /** Records an attempt; answers the seconds to wait when it is one too many (0: go ahead). */
  async hit(ip: string): Promise<number> {
    const reservation = await this.attempts.reserve([
      { limiter: 'sign-up:ip', key: ip, max: this.limit.maxAttempts, windowMs: this.limit.windowMs },
    ]);
    return reservation.granted ? 0 : reservation.retryAfterSeconds;
  }
}
