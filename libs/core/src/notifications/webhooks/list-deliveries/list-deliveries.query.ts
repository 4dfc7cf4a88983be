import { Query } from '@nestjs/cqrs';
import type { DeliveryView } from '../delivery.views';

/** An endpoint's deliveries in log order, each with every attempt; 404 for an unknown endpoint. */
export class ListDeliveriesQuery extends Query<DeliveryView[]> {
  constructor(
    readonly endpointId: string,
    readonly status: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}
