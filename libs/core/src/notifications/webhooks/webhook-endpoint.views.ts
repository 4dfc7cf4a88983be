/** Webhook endpoints as the API answers them (never with the secret, except once at registration). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Queryable } from '@app/platform';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types';

export const webhookEndpointStream = (endpointId: string): string => `webhook-endpoint-${endpointId}`;

export class WebhookEndpointView {
  @ApiProperty({ example: 'wh_3f2a9c1e5b7d4a6f8e0c2b4d' })
  id!: string;

  @ApiProperty({ example: 'https://erp.example.com/hooks/referrals' })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  events!: string[];

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ description: 'false once disabled by an admin or after failing for days' })
  enabled!: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  disabledReason!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class WebhookEndpointWrittenView extends WebhookEndpointView {
  @ApiProperty({ description: 'Log position of the change (waitFor)', example: '812-4711' })
  position!: string;
}

export class RegisteredWebhookEndpointView extends WebhookEndpointWrittenView {
  @ApiPropertyOptional({
    description: 'The signing secret, shown only in this answer: keep it to verify signatures',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret!: string;
}

interface EndpointRow {
  endpoint_id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

function view(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.endpoint_id,
    url: row.url,
    events: row.events,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function findEndpoint(
  db: Queryable,
  endpointId: string,
  lock = false,
): Promise<WebhookEndpointView | null> {
  const { rows } = await db.query<EndpointRow>(
    `SELECT * FROM webhook_endpoints WHERE endpoint_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [endpointId],
  );
  return rows[0] ? view(rows[0]) : null;
}

export async function listEndpoints(db: Queryable): Promise<WebhookEndpointView[]> {
  const { rows } = await db.query<EndpointRow>(
    'SELECT * FROM webhook_endpoints ORDER BY created_at, endpoint_id',
  );
  return rows.map(view);
}
