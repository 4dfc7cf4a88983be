import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type CommissionEarnedData, FIRST_DAY, LAST_DAY, dayRangeToInstants } from '@app/domain';
import { Database } from '@app/platform';
import { commissionView } from '../../attempts/attempt-views';
import { sqlInstant } from '../../reports/shared/report-window';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { type MyCommissions, MyCommissionsQuery } from './my-commissions.query';

@QueryHandler(MyCommissionsQuery)
export class MyCommissionsHandler implements IQueryHandler<MyCommissionsQuery> {
  constructor(
    private readonly database: Database,
    private readonly writeModel: WriteModelQueries,
  ) {}

  async execute({ partnerId, from: fromDay, to: toDay }: MyCommissionsQuery): Promise<MyCommissions> {
    const settings = await this.writeModel.settings();
    const [from, to] =
      fromDay || toDay
        ? dayRangeToInstants(fromDay ?? FIRST_DAY, toDay ?? LAST_DAY, settings.timezone).map(sqlInstant)
        : [null, null];
    const { rows } = await this.database.query<{ earned: CommissionEarnedData; clawed_back_minor: string }>(
      `SELECT earned, clawed_back_minor FROM commissions
        WHERE partner_id = $1 AND ($2::timestamptz IS NULL OR earned_at >= $2) AND ($3::timestamptz IS NULL OR earned_at < $3)
        ORDER BY earned_at, commission_id`,
      [partnerId, from, to],
    );
    return {
      partnerId,
      currency: settings.currency,
      commissions: rows.map((r) => commissionView(r.earned, Number(r.clawed_back_minor))),
    };
  }
}
