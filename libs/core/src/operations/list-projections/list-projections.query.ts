import { Query } from '@nestjs/cqrs';
import type { ProjectionState } from '@app/projections';

/** Position, lag (events behind) and status of each read model. */
export class ListProjectionsQuery extends Query<ProjectionState[]> {}
