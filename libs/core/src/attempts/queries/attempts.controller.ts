import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CommissionEarnedData } from '@app/domain';
import { Database, notFound } from '@app/platform';
import { Roles } from '../../auth/roles.decorator';
import { type AttemptRow, attemptView, commissionView } from './attempt-views';
import { AttemptResponse, CommissionResponse } from './attempt.responses';
import { ApiProblems } from '../../openapi/api-docs';

@ApiTags('Attempts and commissions')
@ApiBearerAuth()
@Controller('v1')
export class AttemptsController {
  constructor(private readonly database: Database) {}

  @ApiOperation({ summary: 'Read a purchase attempt with its attribution and commissions' })
  @ApiOkResponse({ type: AttemptResponse })
  @ApiProblems({ 404: 'No such attempt' })
  @Roles('auditor')
  @Get('attempts/:attemptId')
  async attempt(@Param('attemptId') attemptId: string): Promise<AttemptResponse> {
    const { rows } = await this.database.query<AttemptRow>(
      `SELECT attempt_id, status, total_minor, refunded_minor, attempted, attributed, attempted_at, outcome_at
         FROM attempts WHERE attempt_id = $1`,
      [attemptId],
    );
    const row = rows[0];
    if (!row) throw notFound(`No attempt ${attemptId}`);
    const commissions = await this.database.query<{
      earned: CommissionEarnedData;
      clawed_back_minor: string;
    }>('SELECT earned, clawed_back_minor FROM commissions WHERE attempt_id = $1 ORDER BY commission_id', [
      attemptId,
    ]);
    return attemptView(row, commissions.rows);
  }

  @ApiOperation({
    summary: 'Read a commission with its explanation',
    description:
      'Role, level, program, rule, rate, base, how the partner was found, and the settings that applied.',
  })
  @ApiOkResponse({ type: CommissionResponse })
  @ApiProblems({ 404: 'No such commission' })
  @Roles('auditor')
  @Get('commissions/:commissionId')
  async commission(@Param('commissionId') commissionId: string): Promise<CommissionResponse> {
    const { rows } = await this.database.query<{ earned: CommissionEarnedData; clawed_back_minor: string }>(
      'SELECT earned, clawed_back_minor FROM commissions WHERE commission_id = $1',
      [commissionId],
    );
    const row = rows[0];
    if (!row) throw notFound(`No commission ${commissionId}`);
    return commissionView(row.earned, Number(row.clawed_back_minor));
  }
}
