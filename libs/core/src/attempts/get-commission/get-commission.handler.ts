import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database, notFound } from '@app/platform';
import { type CommissionRow, commissionView } from '../attempt-views';
import type { CommissionResponse } from '../attempt.responses';
import { GetCommissionQuery } from './get-commission.query';

@QueryHandler(GetCommissionQuery)
export class GetCommissionHandler implements IQueryHandler<GetCommissionQuery> {
  constructor(private readonly database: Database) {}

  async execute({ commissionId }: GetCommissionQuery): Promise<CommissionResponse> {
    const { rows } = await this.database.query<CommissionRow>(
      'SELECT earned, clawed_back_minor FROM commissions WHERE commission_id = $1',
      [commissionId],
    );
    const row = rows[0];
    if (!row) throw notFound(`No commission ${commissionId}`);
    return commissionView(row.earned, Number(row.clawed_back_minor));
  }
}
