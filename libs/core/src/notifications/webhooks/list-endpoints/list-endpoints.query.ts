import { Query } from '@nestjs/cqrs';
import type { WebhookEndpointView } from '../webhook-endpoint.views';

/** Every webhook endpoint, oldest first, without its secret. */
export class ListEndpointsQuery extends Query<WebhookEndpointView[]> {}
