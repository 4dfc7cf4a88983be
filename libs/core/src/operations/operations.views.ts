/** Response shapes of the operations endpoints, for the OpenAPI document. */
import { ApiProperty } from '@nestjs/swagger';

export class ConsumerStateView {
  @ApiProperty({ description: 'Durable consumer name (NATS_CONSUMER)', example: 'referral-ledger' })
  name!: string;

  @ApiProperty({ description: 'JetStream stream (NATS_STREAM)', example: 'REFERRAL_EVENTS' })
  stream!: string;

  @ApiProperty({
    description: 'Subject the envelopes are read from (NATS_SUBJECT)',
    example: 'referral.events',
  })
  subject!: string;

  @ApiProperty({
    description: 'Where rejected and malformed messages go',
    example: 'referral.events.dead-letter',
  })
  deadLetterSubject!: string;

  @ApiProperty({
    description: 'What this process does with it (an api process consumes nothing: not-running-here)',
    enum: ['consuming', 'standby', 'starting', 'failed', 'stopped', 'not-running-here'],
  })
  status!: string;

  @ApiProperty({
    description: 'The process that last took the consumer lease (role@host:pid)',
    type: String,
    nullable: true,
  })
  leader!: string | null;

  @ApiProperty({ type: 'integer', description: 'Messages not yet delivered (the lag)' })
  numPending!: number;

  @ApiProperty({ type: 'integer', description: 'Delivered, not yet acknowledged' })
  numAckPending!: number;

  @ApiProperty({ type: 'integer', description: 'Messages delivered more than once' })
  numRedelivered!: number;

  @ApiProperty({ type: 'integer', description: 'Messages kept on the dead-letter subject' })
  deadLettered!: number;

  @ApiProperty({ type: String, nullable: true, description: "This process's last consumer error" })
  lastError!: string | null;
}

export class ReadinessView {
  @ApiProperty({ enum: ['ready', 'not-ready'] })
  status!: string;

  @ApiProperty({ enum: ['api', 'worker', 'all'] })
  role!: string;

  @ApiProperty({ enum: ['up', 'down'] })
  database!: string;

  @ApiProperty({
    description: 'Every migration this build knows is applied',
    enum: ['done', 'pending', 'unknown'],
  })
  migrations!: string;

  @ApiProperty({
    description: 'The HTTP API, the projections and the worker tasks of the role: running or not',
    example: { http: 'running', projections: 'running', 'jetstream-ingest': 'running' },
    type: 'object',
    additionalProperties: { type: 'string', enum: ['running', 'failing'] },
  })
  components!: Record<string, string>;
}
