/**
 * Limits attempts (Partner Center sign-ins; sign-ups use the same) per key in a sliding window, counted
 * in PostgreSQL so that every process of the service shares one count. An attempt is reserved before
 * the expensive or sensitive check (bcrypt) and released when it succeeded: at most `max` failures per
 * key and window are ever checked, however many requests arrive at once and at however many processes.
 * A reservation whose process died before releasing it counts as a failure until it expires.
 */
import { Injectable } from '@nestjs/common';
import { Database } from '@app/platform';

export interface AttemptLimit {
  /** What is limited, e.g. `sign-in:code`. */
  readonly limiter: string;
  /** Whose attempts, e.g. the lower-cased partner code or the client IP. */
  readonly key: string;
  readonly max: number;
  readonly windowMs: number;
}

export type Reservation =
  | { readonly granted: true; readonly attemptIds: readonly string[] }
  | { readonly granted: false; readonly retryAfterSeconds: number };

const PRUNE_EVERY_MS = 60_000;

@Injectable()
export class AttemptLimiter {
  private lastPrune = 0;

  constructor(private readonly database: Database) {}

  /**
   * One attempt under every limit, all or none: refused as soon as one of them is used up, with the
   * seconds until its oldest attempt in the window expires. Concurrent reservations of one key take
   * turns on an advisory lock; keys are locked in one order, so two requests never wait on each other.
   */
  async reserve(limits: readonly AttemptLimit[]): Promise<Reservation> {
    const ordered = [...limits].sort((a, b) =>
      a.limiter === b.limiter ? (a.key < b.key ? -1 : 1) : a.limiter < b.limiter ? -1 : 1,
    );
    const reservation = await this.database.transaction(async (tx): Promise<Reservation> => {
      let retryAfterSeconds = 0;
      for (const limit of ordered) {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
          `rate-limit:${limit.limiter}`,
          limit.key,
        ]);
        const { rows } = await tx.query<{ wait_ms: string }>(
          `SELECT ceil(extract(epoch FROM expires_at - clock_timestamp()) * 1000) AS wait_ms
             FROM rate_limit_attempts
            WHERE limiter = $1 AND key = $2 AND expires_at > clock_timestamp()
            ORDER BY expires_at DESC LIMIT $3`,
          [limit.limiter, limit.key, limit.max],
        );
        const oldest = rows.at(-1);
        if (oldest !== undefined && rows.length >= limit.max) {
          const waitMs = Number(oldest.wait_ms);
          retryAfterSeconds = Math.max(retryAfterSeconds, Math.max(1, Math.ceil(waitMs / 1000)));
        }
      }
      if (retryAfterSeconds > 0) return { granted: false, retryAfterSeconds };
      const { rows } = await tx.query<{ attempt_id: string }>(
        `INSERT INTO rate_limit_attempts (limiter, key, attempted_at, expires_at)
         SELECT limiter, key, clock_timestamp(), clock_timestamp() + window_ms * interval '1 millisecond'
           FROM unnest($1::text[], $2::text[], $3::bigint[]) AS l (limiter, key, window_ms)
         RETURNING attempt_id`,
        [ordered.map((l) => l.limiter), ordered.map((l) => l.key), ordered.map((l) => l.windowMs)],
      );
      return { granted: true, attemptIds: rows.map((r) => r.attempt_id) };
    });
    await this.pruneNowAndThen();
    return reservation;
  }

  /** The attempts succeeded: they no longer count. */
  async release(reservation: Reservation): Promise<void> {
    if (!reservation.granted || reservation.attemptIds.length === 0) return;
    await this.database.query('DELETE FROM rate_limit_attempts WHERE attempt_id = ANY($1::bigint[])', [
      reservation.attemptIds,
    ]);
  }

  /** Expired attempts are only dead weight; each process clears them at most once a minute. */
  private async pruneNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.database
      .query('DELETE FROM rate_limit_attempts WHERE expires_at <= clock_timestamp()')
      .catch(() => undefined);
  }
}
