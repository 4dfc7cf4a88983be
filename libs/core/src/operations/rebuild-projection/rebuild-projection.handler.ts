import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { RebuildProjectionCommand, type RebuildStarted } from './rebuild-projection.command';

@CommandHandler(RebuildProjectionCommand)
export class RebuildProjectionHandler implements ICommandHandler<RebuildProjectionCommand> {
  constructor(private readonly runner: ProjectionRunner) {}

  async execute({ name }: RebuildProjectionCommand): Promise<RebuildStarted> {
    if (!(await this.runner.requestRebuild(name))) throw notFound(`No projection named ${name}`);
    return { name, status: 'rebuilding' };
  }
}
