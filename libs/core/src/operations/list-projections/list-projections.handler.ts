import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type ProjectionState, ProjectionRunner } from '@app/projections';
import { ListProjectionsQuery } from './list-projections.query';

@QueryHandler(ListProjectionsQuery)
export class ListProjectionsHandler implements IQueryHandler<ListProjectionsQuery> {
  constructor(private readonly runner: ProjectionRunner) {}

  async execute(): Promise<ProjectionState[]> {
    return this.runner.states();
  }
}
