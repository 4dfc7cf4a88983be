import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiTags, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Database } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { Public } from '../auth/roles.decorator';
import { HealthResponse } from './health.response';

@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: Database,
    private readonly runner: ProjectionRunner,
  ) {}

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
  async health(@Res({ passthrough: true }) response: Response) {
    const database = await this.database
      .query('SELECT 1')
      .then(() => 'up' as const)
      .catch(() => 'down' as const);
    const projections = this.runner.healthy ? 'running' : 'failing';
    const ok = database === 'up' && projections === 'running';
    if (!ok) {
      response.status(503).setHeader('Retry-After', '1');
    }
    return { status: ok ? 'ok' : 'unavailable', database, projections };
  }
}
