import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database, notFound } from '@app/platform';
import { type AttemptRow, type CommissionRow, attemptView } from '../attempt-views';
import type { AttemptResponse } from '../attempt.responses';
import { GetAttemptQuery } from './get-attempt.query';

@QueryHandler(GetAttemptQuery)
export class GetAttemptHandler implements IQueryHandler<GetAttemptQuery> {
  constructor(private readonly database: Database) {}

  async execute({ attemptId }: GetAttemptQuery): Promise<AttemptResponse> {
    const { rows } = await this.database.query<AttemptRow>(
      `SELECT attempt_id, status, total_minor, refunded_minor, attempted, attributed, attempted_at, outcome_at
         FROM attempts WHERE attempt_id = $1`,
      [attemptId],
    );
    const row = rows[0];
    if (!row) throw notFound(`No attempt ${attemptId}`);
    const commissions = await this.database.query<CommissionRow>(
      'SELECT earned, clawed_back_minor FROM commissions WHERE attempt_id = $1 ORDER BY commission_id',
      [attemptId],
    );
    return attemptView(row, commissions.rows);
  }
}
