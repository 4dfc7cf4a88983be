import { Query } from '@nestjs/cqrs';
import type { WebhookEndpointView } from '../webhook-endpoint.views';

/** One webhook endpoint without its secret; 404 for an unknown id. */
export class GetEndpointQuery extends Query<WebhookEndpointView> {
  constructor(readonly endpointId: string) {
    super();
  }
}
