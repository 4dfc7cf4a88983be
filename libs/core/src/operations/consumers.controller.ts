import { Controller, Get } from '@nestjs/common';
import { ApiProblems } from '../openapi/api-docs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Database, lastHolders, unavailable } from '@app/platform';
import { Roles } from '../auth/roles.decorator';
import { JetStreamIngestTask, consumerLease } from '../ingest/jetstream/jetstream-ingest.task';
import { JetStreamConnection } from '../ingest/jetstream/jetstream.connection';
import { WorkerTasks } from '../worker/worker.module';
import { ConsumerStateView } from './operations.views';

@ApiTags('Operations')
@ApiBearerAuth()
@Controller('v1/admin/consumers')
export class ConsumersController {
  constructor(
    private readonly connection: JetStreamConnection,
    private readonly task: JetStreamIngestTask,
    private readonly workers: WorkerTasks,
    private readonly database: Database,
  ) {}

  @Roles()
  @Get()
  @ApiOperation({
    summary: 'Broker consumers and their lag',
    description:
      'The JetStream ingest consumer (empty list when NATS_URL is not set): messages pending and awaiting ' +
      'acknowledgement, redeliveries, dead letters, and which process leads it.',
  })
  @ApiOkResponse({ type: ConsumerStateView, isArray: true })
  @ApiProblems({ 503: 'NATS or the database does not answer' })
  async list(): Promise<ConsumerStateView[]> {
    const nats = this.connection.settings;
    if (!nats) return [];
    const lease = consumerLease(nats.stream, nats.consumer);
    const [lag, holders] = await Promise.all([
      this.connection.lag().catch(() => {
        throw unavailable('NATS JetStream does not answer; retry shortly', 1);
      }),
      lastHolders(this.database, [lease]),
    ]);
    return [
      {
        name: nats.consumer,
        stream: nats.stream,
        subject: nats.subject,
        deadLetterSubject: nats.deadLetterSubject,
        status: this.workers.running ? this.task.status : 'not-running-here',
        leader: holders.get(lease)?.holder ?? null,
        ...lag,
        lastError: this.task.lastError,
      },
    ];
  }
}
