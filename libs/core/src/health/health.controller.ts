import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AppConfig, Database, pendingMigrations } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { Public } from '../auth/roles.decorator';
import { InjectConfig } from '../infrastructure/infrastructure.module';
import { ReadinessView } from '../operations/operations.views';
import { WorkerTasks } from '../worker/worker.module';
import { HealthResponse } from './health.response';

@ApiTags('Health')
@Controller('health')
export class HealthController {
  /** Migrations only ever get applied: once none is pending, readiness stops asking. */
  private migrationsDone = false;

  constructor(
    private readonly database: Database,
    private readonly runner: ProjectionRunner,
    private readonly workers: WorkerTasks,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  private async databaseUp(): Promise<'up' | 'down'> {
    return this.database
      .query('SELECT 1')
      .then(() => 'up' as const)
      .catch(() => 'down' as const);
  }

  /** 200 when the database answers and the projections run; 503 otherwise. */
  @ApiOperation({
    summary: 'Check the service',
    description: '200 when the database answers and the projections run; 503 otherwise (with the same body).',
  })
  @ApiOkResponse({ type: HealthResponse })
  @ApiResponse({
    status: 503,
    type: HealthResponse,
    description: 'The database is down or the projections fail',
  })
  @Public()
  @Get()
  @HttpCode(200)
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const database = await this.databaseUp();
    const projections = this.runner.healthy ? 'running' : 'failing';
    const ok = database === 'up' && projections === 'running';
    if (!ok) {
      response.status(503).setHeader('Retry-After', '1');
    }
    return { status: ok ? 'ok' : 'unavailable', database, projections };
  }

  /**
   * For orchestrators: 200 once the database answers, every migration of this build is applied and
   * what this process's role runs (HTTP; projections and worker tasks in worker and all) is running.
   */
  @Public()
  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Readiness: migrations applied and the role of this process running' })
  @ApiOkResponse({ type: ReadinessView })
  @ApiResponse({ status: 503, description: 'Not ready (same body, status not-ready)', type: ReadinessView })
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessView> {
    const database = await this.databaseUp();
    if (!this.migrationsDone && database === 'up') {
      this.migrationsDone = await pendingMigrations(this.database)
        .then((pending) => pending.length === 0)
        .catch(() => false);
    }
    const migrations = this.migrationsDone ? 'done' : database === 'up' ? 'pending' : 'unknown';
    const state = (healthy: boolean) => (healthy ? 'running' : 'failing');
    const components: Record<string, string> = {};
    if (this.config.role !== 'worker') components['http'] = 'running';
    if (this.workers.running) {
      components['projections'] = state(this.runner.started && this.runner.healthy);
      for (const task of this.workers.states) components[task.name] = state(task.healthy);
      if (!this.workers.healthy) components['worker-tasks'] = 'failing';
    }
    const ready =
      database === 'up' && migrations === 'done' && Object.values(components).every((c) => c === 'running');
    if (!ready) response.status(503).setHeader('Retry-After', '1');
    return {
      status: ready ? 'ready' : 'not-ready',
      role: this.config.role,
      database,
      migrations,
      components,
    };
  }
}
