/**
 * Sends the pending webhook deliveries. A delivery is claimed with a lease (FOR UPDATE SKIP LOCKED,
 * then lease_until and a token), so two processes never send the same one at the same moment; the
 * result is recorded only by the holder of the lease. A process killed after sending and before
 * recording leaves the lease to expire, and the delivery is sent again with the same id: delivery is
 * at least once, and receivers deduplicate on `webhook-id`.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { formatPosition } from '@app/event-store';
import { type AppConfig, Database, ProblemError, readBack } from '@app/platform';
import { APP_CONFIG } from '../../../infrastructure/tokens';
import { PollingLoop } from '../../delivery/polling-loop';
import { type RetryPolicy, configuredRetryPolicy, nextAttemptAt } from '../../delivery/retry-schedule';
import { ChangeEndpointCommand } from '../change-endpoint/change-endpoint.handler';
import { postMessage, signMessage } from './webhook-sender';

const BATCH = 20;
export const DISPATCHER_ACTOR = 'system:webhook-dispatcher';

interface ClaimedDelivery {
  delivery_id: string;
  endpoint_id: string;
  event_type: string;
  source_txid: string;
  source_seq: string;
  occurred_at: Date;
  data: Record<string, unknown>;
  attempts: number;
  first_attempt_at: Date | null;
  url: string;
  secret: string;
}

/** The body receivers get: the same bytes on every attempt of a delivery. */
export function deliveryBody(
  d: Pick<
    ClaimedDelivery,
    'delivery_id' | 'event_type' | 'source_txid' | 'source_seq' | 'occurred_at' | 'data'
  >,
): string {
  return JSON.stringify({
    id: d.delivery_id,
    type: d.event_type,
    position: formatPosition({ transactionId: BigInt(d.source_txid), sequence: BigInt(d.source_seq) }),
    occurredAt: d.occurred_at.toISOString(),
    data: d.data,
  });
}

@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger('Webhooks');
  private readonly loop: PollingLoop;
  private readonly policy: RetryPolicy;

  constructor(
    private readonly database: Database,
    private readonly commands: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.policy = configuredRetryPolicy(config.notifications);
    this.loop = new PollingLoop(() => this.tick(), config.notifications.dispatchPollMs, this.logger);
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  poke(): void {
    this.loop.poke();
  }

  /** One round: fail what can no longer be sent, claim a batch, send it. True when more may be due. */
  async tick(): Promise<boolean> {
    await this.database.query(
      `UPDATE webhook_deliveries d SET status = 'failed', last_error = 'the endpoint was removed'
        WHERE d.status = 'pending' AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.endpoint_id = d.endpoint_id)`,
    );
    const claimed = await this.claim();
    await Promise.all(claimed.map((d) => this.attempt(d.delivery, d.token)));
    return claimed.length === BATCH;
  }

  private async claim(): Promise<{ delivery: ClaimedDelivery; token: string }[]> {
    const token = randomUUID();
    const leaseMs = this.config.notifications.dispatchLeaseMs;
    const { rows } = await this.database.query<ClaimedDelivery>(
      `UPDATE webhook_deliveries d SET lease_until = now() + $2 * interval '1 millisecond', lease_token = $3
         FROM webhook_endpoints e, webhook_secrets s
        WHERE d.delivery_id IN (
                SELECT x.delivery_id FROM webhook_deliveries x
                  JOIN webhook_endpoints xe ON xe.endpoint_id = x.endpoint_id AND xe.enabled
                 WHERE x.status = 'pending' AND x.next_attempt_at <= now()
                   AND (x.lease_until IS NULL OR x.lease_until <= now())
                 ORDER BY x.next_attempt_at, x.source_txid, x.source_seq
                 LIMIT $1 FOR UPDATE OF x SKIP LOCKED)
          AND e.endpoint_id = d.endpoint_id AND s.endpoint_id = d.endpoint_id
      RETURNING d.delivery_id, d.endpoint_id, d.event_type, d.source_txid::text, d.source_seq::text, d.occurred_at,
                d.data, d.attempts, d.first_attempt_at, e.url, s.secret`,
      [BATCH, leaseMs, token],
    );
    return rows.map((delivery) => ({ delivery, token }));
  }

  private async attempt(d: ClaimedDelivery, token: string): Promise<void> {
    const at = new Date();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const message = signMessage(d.secret, d.delivery_id, at, deliveryBody(d));
      statusCode = await postMessage(new URL(d.url), message, {
        timeoutMs: this.config.notifications.webhookTimeoutMs,
        allowPrivate: this.config.notifications.webhookAllowPrivate,
      });
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const durationMs = Math.round(performance.now() - started);
    const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const now = new Date();
    const retryAt = succeeded
      ? null
      : nextAttemptAt(d.attempts + 1, d.first_attempt_at ?? at, now, this.policy);
    const status = succeeded ? 'succeeded' : retryAt ? 'pending' : 'failed';
    const lastError = error ?? (succeeded ? null : `answered ${statusCode}`);
    const recorded = await this.database.transaction(async (tx) => {
      const { rows } = await tx.query<{ attempts: number }>(
        `UPDATE webhook_deliveries
            SET attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, $3), status = $4,
                next_attempt_at = coalesce($5, next_attempt_at), last_status_code = $6, last_error = $7,
                lease_until = NULL, lease_token = NULL
          WHERE delivery_id = $1 AND lease_token = $2
        RETURNING attempts`,
        [d.delivery_id, token, at, status, retryAt, statusCode, lastError],
      );
      // The lease ran out and someone else took the delivery over: its attempt is the one that counts.
      if (!rows[0]) return false;
      await tx.query(
        `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          d.delivery_id,
          rows[0].attempts,
          at,
          statusCode,
          error ?? (succeeded ? null : `answered ${statusCode}`),
          durationMs,
        ],
      );
      return true;
    });
    if (recorded) await this.recordHealth(d, succeeded, lastError, now);
  }

  /** An endpoint without a single success for WEBHOOK_DISABLE_AFTER_MS is disabled, with the reason. */
  private async recordHealth(
    d: ClaimedDelivery,
    succeeded: boolean,
    lastError: string | null,
    now: Date,
  ): Promise<void> {
    if (succeeded) {
      await this.database.query(
        `INSERT INTO webhook_endpoint_health (endpoint_id, failing_since, last_success_at) VALUES ($1, NULL, $2)
           ON CONFLICT (endpoint_id) DO UPDATE SET failing_since = NULL, last_success_at = EXCLUDED.last_success_at`,
        [d.endpoint_id, now],
      );
      return;
    }
    const { rows } = await this.database.query<{ failing_since: Date }>(
      `INSERT INTO webhook_endpoint_health AS h (endpoint_id, failing_since, last_failure_at) VALUES ($1, $2, $2)
         ON CONFLICT (endpoint_id) DO UPDATE
           SET failing_since = coalesce(h.failing_since, EXCLUDED.failing_since), last_failure_at = EXCLUDED.last_failure_at
       RETURNING failing_since`,
      [d.endpoint_id, now],
    );
    const since = readBack(rows[0], `the health of webhook endpoint ${d.endpoint_id}`).failing_since;
    if (now.getTime() - since.getTime() < this.config.notifications.webhookDisableAfterMs) return;
    const reason = `every delivery failed since ${since.toISOString()} (last: ${lastError ?? 'no answer'})`;
    this.logger.warn(`disabling webhook endpoint ${d.endpoint_id}: ${reason}`);
    await this.commands
      .execute(
        new ChangeEndpointCommand(
          d.endpoint_id,
          { enabled: false, disabledReason: reason },
          DISPATCHER_ACTOR,
        ),
      )
      .catch((failure: unknown) => {
        // Removed meanwhile: nothing left to disable.
        if (!(failure instanceof ProblemError && failure.status === 404)) throw failure;
      });
  }
}
