import { Query } from '@nestjs/cqrs';
import type { ConsumerStateView } from '../operations.views';

/** The JetStream ingest consumer and its lag (none when NATS_URL is not set), and who leads it. */
export class ListConsumersQuery extends Query<ConsumerStateView[]> {}
