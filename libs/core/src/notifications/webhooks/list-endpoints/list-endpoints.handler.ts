import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/platform';
import { type WebhookEndpointView, listEndpoints } from '../webhook-endpoint.views';
import { ListEndpointsQuery } from './list-endpoints.query';

@QueryHandler(ListEndpointsQuery)
export class ListEndpointsHandler implements IQueryHandler<ListEndpointsQuery> {
  constructor(private readonly database: Database) {}

  async execute(): Promise<WebhookEndpointView[]> {
    return listEndpoints(this.database);
  }
}
