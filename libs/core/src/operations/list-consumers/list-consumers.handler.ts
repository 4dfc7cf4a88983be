import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database, lastHolders, unavailable } from '@app/platform';
import { JetStreamIngestTask, consumerLease } from '../../ingest/jetstream/jetstream-ingest.task';
import { JetStreamConnection } from '../../ingest/jetstream/jetstream.connection';
import { WorkerTasks } from '../../worker/worker.module';
import type { ConsumerStateView } from '../operations.views';
import { ListConsumersQuery } from './list-consumers.query';

@QueryHandler(ListConsumersQuery)
export class ListConsumersHandler implements IQueryHandler<ListConsumersQuery> {
  constructor(
    private readonly connection: JetStreamConnection,
    private readonly task: JetStreamIngestTask,
    private readonly workers: WorkerTasks,
    private readonly database: Database,
  ) {}

  async execute(): Promise<ConsumerStateView[]> {
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
