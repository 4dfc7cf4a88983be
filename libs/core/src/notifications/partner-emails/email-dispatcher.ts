/**
 * Sends the partner emails in the outbox through SMTP (nodemailer, SMTP_URL), with the same lease per
 * message as the webhooks (two processes never send the same one at the same moment) and the same
 * retry schedule. With no SMTP_URL nothing is sent and nothing is dropped: the messages are marked
 * `unsent-no-transport` and go out once a transport is configured.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type Transporter, createTransport } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { type AppConfig, Database } from '@app/platform';
import { APP_CONFIG } from '../../infrastructure/tokens';
import { PollingLoop } from '../delivery/polling-loop';
import { type RetryPolicy, configuredRetryPolicy, nextAttemptAt } from '../delivery/retry-schedule';
import { type NotificationDetails, renderEmail } from './email-content';

const BATCH = 20;

interface ClaimedNotification {
  notification_id: string;
  recipient: string;
  details: NotificationDetails;
  attempts: number;
  first_attempt_at: Date | null;
}

@Injectable()
export class EmailDispatcher {
  private readonly logger = new Logger('Notifications');
  private readonly loop: PollingLoop;
  private readonly policy: RetryPolicy;
  private transport: Transporter | null = null;

  constructor(
    private readonly database: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.policy = configuredRetryPolicy(config.notifications);
    this.loop = new PollingLoop(() => this.tick(), config.notifications.dispatchPollMs, this.logger);
  }

  get partnerCenterUrl(): string {
    return `${this.config.publicBaseUrl}/partner-center/`;
  }

  start(): void {
    const { smtpUrl } = this.config.notifications;
    if (smtpUrl) {
      // Every SMTP step ends well within the lease, so no message is still being sent when it runs out.
      const stepMs = Math.max(500, Math.floor((this.config.notifications.dispatchLeaseMs - 1_000) / 3));
      const options: SMTPPool.Options = {
        url: smtpUrl,
        pool: true,
        maxConnections: 4,
        connectionTimeout: stepMs,
        greetingTimeout: stepMs,
        socketTimeout: stepMs,
      };
      this.transport = createTransport(options, { from: this.config.notifications.smtpFrom });
    }
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.transport?.close();
    this.transport = null;
  }

  poke(): void {
    this.loop.poke();
  }

  async tick(): Promise<boolean> {
    const transport = this.transport;
    if (!transport) {
      await this.database.query(
        `UPDATE notifications SET status = 'unsent-no-transport' WHERE status = 'pending'`,
      );
      return false;
    }
    const token = randomUUID();
    const { rows } = await this.database.query<ClaimedNotification>(
      `UPDATE notifications n SET lease_until = now() + $2 * interval '1 millisecond', lease_token = $3
        WHERE n.notification_id IN (
                SELECT notification_id FROM notifications
                 WHERE status IN ('pending', 'unsent-no-transport') AND next_attempt_at <= now()
                   AND (lease_until IS NULL OR lease_until <= now())
                 ORDER BY next_attempt_at, source_txid, source_seq
                 LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING n.notification_id, n.recipient, n.details, n.attempts, n.first_attempt_at`,
      [BATCH, this.config.notifications.dispatchLeaseMs, token],
    );
    await Promise.all(rows.map((n) => this.send(transport, n, token)));
    return rows.length === BATCH;
  }

  private async send(transport: Transporter, n: ClaimedNotification, token: string): Promise<void> {
    const at = new Date();
    const email = renderEmail(n.details, this.partnerCenterUrl);
    let error: string | null = null;
    try {
      await transport.sendMail({
        to: n.recipient,
        subject: email.subject,
        text: email.text,
        headers: { 'X-Notification-Id': n.notification_id },
      });
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
      this.logger.warn(`notification ${n.notification_id} not sent: ${error}`);
    }
    const retryAt =
      error === null
        ? null
        : nextAttemptAt(n.attempts + 1, n.first_attempt_at ?? at, new Date(), this.policy);
    const status = error === null ? 'sent' : retryAt ? 'pending' : 'failed';
    await this.database.query(
      `UPDATE notifications
          SET attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, $3), status = $4,
              next_attempt_at = coalesce($5, next_attempt_at), last_error = $6,
              sent_at = CASE WHEN $4 = 'sent' THEN now() ELSE sent_at END, lease_until = NULL, lease_token = NULL
        WHERE notification_id = $1 AND lease_token = $2`,
      [n.notification_id, token, at, status, retryAt, error],
    );
  }
}
