/** Webhook deliveries and their attempts as GET /v1/webhooks/:id/deliveries answers them. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { formatPosition } from '@app/event-store';
import type { Queryable } from '@app/platform';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export class DeliveryAttemptView {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiPropertyOptional({ type: 'integer', description: 'The HTTP status the receiver answered' })
  statusCode?: number;

  @ApiPropertyOptional({ description: 'Why no HTTP answer came (timeout, refused destination, ...)' })
  error?: string;

  @ApiProperty({ type: 'integer' })
  durationMs!: number;
}

export class DeliveryView {
  @ApiProperty({
    description: 'The body `id` and the `webhook-id` header: the same on every attempt',
    example: 'msg_0d4b9f...',
  })
  deliveryId!: string;

  @ApiProperty({ example: 'commission.earned' })
  eventType!: string;

  @ApiProperty({ description: 'The eventId of the log event it carries' })
  sourceEventId!: string;

  @ApiProperty({ example: '812-4711' })
  position!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: string;

  @ApiProperty({ type: 'integer' })
  attemptCount!: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Pending: when it is tried next',
  })
  nextAttemptAt!: string | null;

  @ApiProperty({ type: [DeliveryAttemptView] })
  attempts!: DeliveryAttemptView[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

interface DeliveryRow {
  delivery_id: string;
  event_type: string;
  source_event_id: string;
  source_txid: string;
  source_seq: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
}

interface AttemptRow {
  delivery_id: string;
  at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export async function listDeliveries(
  db: Queryable,
  endpointId: string,
  filter: { status?: string | undefined; limit: number },
): Promise<DeliveryView[]> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT delivery_id, event_type, source_event_id, source_txid::text, source_seq::text, status, attempts,
            next_attempt_at, created_at
       FROM webhook_deliveries WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2)
      ORDER BY source_txid, source_seq LIMIT $3`,
    [endpointId, filter.status ?? null, filter.limit],
  );
  const { rows: attempts } = await db.query<AttemptRow>(
    `SELECT delivery_id, at, status_code, error, duration_ms FROM webhook_delivery_attempts
      WHERE delivery_id = ANY($1) ORDER BY delivery_id, attempt`,
    [rows.map((r) => r.delivery_id)],
  );
  return rows.map((r) => ({
    deliveryId: r.delivery_id,
    eventType: r.event_type,
    sourceEventId: r.source_event_id,
    position: formatPosition({ transactionId: BigInt(r.source_txid), sequence: BigInt(r.source_seq) }),
    status: r.status,
    attemptCount: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
    createdAt: r.created_at.toISOString(),
    attempts: attempts
      .filter((a) => a.delivery_id === r.delivery_id)
      .map((a) => ({
        at: a.at.toISOString(),
        ...(a.status_code === null ? {} : { statusCode: a.status_code }),
        ...(a.error === null ? {} : { error: a.error }),
        durationMs: a.duration_ms,
      })),
  }));
}
