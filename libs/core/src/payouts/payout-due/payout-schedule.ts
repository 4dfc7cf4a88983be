/**
 * The payout schedule: what each partner is due on a pay date (earned through the cutoff, minus every
 * payment so far), from the ledger read model, with the same rule as the domain's dueFor.
 */
import { Injectable } from '@nestjs/common';
import { cutoffFor } from '@app/domain';
import { Database, type Queryable } from '@app/platform';
import { WriteModelQueries } from '../../write-model/write-model.queries';

export interface DueRow {
  readonly partnerId: string;
  readonly earnedThroughCutoff: number;
  readonly paidSoFar: number;
  readonly due: number;
  readonly eligible: boolean;
}

export interface DueReport {
  readonly payDate: string;
  readonly cutoff: string;
  readonly minimumBalance: number;
  readonly currency: string;
  readonly rows: DueRow[];
}

@Injectable()
export class PayoutSchedule {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
  ) {}

  /** `db`: a connection the caller holds already (a batch's transaction), instead of the pool's. */
  async due(
    payDate: string,
    filter: { partnerIds?: readonly string[]; programId?: string } = {},
    db: Queryable = this.database,
  ): Promise<DueReport> {
    const settings = await this.queries.settings(db);
    const cutoff = cutoffFor(payDate, settings.payoutSchedule.cutoffDay, settings.timezone);
    const minimumBalance = settings.payoutSchedule.minimumBalance;
    const { rows } = await db.query<{ partner_id: string; earned: string; paid: string }>(
      `SELECT p.partner_id,
              coalesce(sum(e.amount_minor) FILTER (WHERE e.entry_type <> 'payment' AND e.occurred_at < $1), 0)::text AS earned,
              coalesce(-sum(e.amount_minor) FILTER (WHERE e.entry_type = 'payment'), 0)::text AS paid
         FROM ledger_partners p LEFT JOIN ledger_entries e ON e.partner_id = p.partner_id
        WHERE ($2::text[] IS NULL OR p.partner_id = ANY($2)) AND ($3::text IS NULL OR $3 = ANY(p.program_ids))
        GROUP BY p.partner_id ORDER BY p.partner_id`,
      [cutoff, filter.partnerIds ?? null, filter.programId ?? null],
    );
    return {
      payDate,
      cutoff,
      minimumBalance,
      currency: settings.currency,
      rows: rows.map((r) => {
        const earnedThroughCutoff = Number(r.earned);
        const paidSoFar = Number(r.paid);
        const due = earnedThroughCutoff - paidSoFar;
        return {
          partnerId: r.partner_id,
          earnedThroughCutoff,
          paidSoFar,
          due,
          eligible: due > 0 && due >= minimumBalance,
        };
      }),
    };
  }
}
