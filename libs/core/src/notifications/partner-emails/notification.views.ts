/** Partner emails in the outbox as the API and the CLI list them. */
import type { Queryable } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'unsent-no-transport'] as const;

export class NotificationView {
  @ApiProperty({ example: 'ntf_6c1f0e...' })
  id!: string;

  @ApiProperty()
  partnerId!: string;

  @ApiProperty({ enum: ['lead', 'sale'] })
  kind!: string;

  @ApiProperty({ description: 'The eventId of the opt-in or the collection that caused it' })
  sourceEventId!: string;

  @ApiProperty({ enum: NOTIFICATION_STATUSES })
  status!: string;

  @ApiProperty({ type: 'integer', description: 'Sending attempts so far' })
  attempts!: number;

  @ApiPropertyOptional({ format: 'date-time' })
  sentAt?: string;

  @ApiProperty({ description: 'The partner address it goes to' })
  recipient!: string;

  @ApiProperty()
  subject!: string;

  @ApiPropertyOptional()
  lastError?: string;

  @ApiProperty({ format: 'date-time', description: 'When the opt-in or collection happened' })
  occurredAt!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

interface NotificationRow {
  notification_id: string;
  partner_id: string;
  kind: string;
  source_event_id: string;
  status: string;
  attempts: number;
  sent_at: Date | null;
  recipient: string;
  subject: string;
  last_error: string | null;
  occurred_at: Date;
  created_at: Date;
}

/** The outbox rows, oldest first (the API and the CLI list the same). */
export async function listNotifications(
  db: Queryable,
  filter: { partnerId?: string | undefined; status?: string | undefined; limit: number },
): Promise<NotificationView[]> {
  const { rows } = await db.query<NotificationRow>(
    `SELECT notification_id, partner_id, kind, source_event_id, status, attempts, sent_at, recipient, subject,
            last_error, occurred_at, created_at
       FROM notifications
      WHERE ($1::text IS NULL OR partner_id = $1) AND ($2::text IS NULL OR status = $2)
      ORDER BY source_txid, source_seq, partner_id, kind LIMIT $3`,
    [filter.partnerId ?? null, filter.status ?? null, filter.limit],
  );
  return rows.map((r) => ({
    id: r.notification_id,
    partnerId: r.partner_id,
    kind: r.kind,
    sourceEventId: r.source_event_id,
    status: r.status,
    attempts: r.attempts,
    ...(r.sent_at ? { sentAt: r.sent_at.toISOString() } : {}),
    recipient: r.recipient,
    subject: r.subject,
    ...(r.last_error ? { lastError: r.last_error } : {}),
    occurredAt: r.occurred_at.toISOString(),
    createdAt: r.created_at.toISOString(),
  }));
}
