import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database, notFound } from '@app/platform';
import { type WebhookEndpointView, findEndpoint } from '../webhook-endpoint.views';
import { GetEndpointQuery } from './get-endpoint.query';

@QueryHandler(GetEndpointQuery)
export class GetEndpointHandler implements IQueryHandler<GetEndpointQuery> {
  constructor(private readonly database: Database) {}

  async execute({ endpointId }: GetEndpointQuery): Promise<WebhookEndpointView> {
    const endpoint = await findEndpoint(this.database, endpointId);
    if (!endpoint) throw notFound(`No webhook endpoint ${endpointId}`);
    return endpoint;
  }
}
