import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database, notFound } from '@app/platform';
import { type DeliveryView, listDeliveries } from '../delivery.views';
import { findEndpoint } from '../webhook-endpoint.views';
import { ListDeliveriesQuery } from './list-deliveries.query';

@QueryHandler(ListDeliveriesQuery)
export class ListDeliveriesHandler implements IQueryHandler<ListDeliveriesQuery> {
  constructor(private readonly database: Database) {}

  async execute({ endpointId, status, limit }: ListDeliveriesQuery): Promise<DeliveryView[]> {
    if (!(await findEndpoint(this.database, endpointId))) throw notFound(`No webhook endpoint ${endpointId}`);
    return listDeliveries(this.database, endpointId, { status, limit });
  }
}
