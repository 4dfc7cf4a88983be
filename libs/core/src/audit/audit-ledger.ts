/** A partner's ledger recomputed from the event log alone, as recorded up to a moment. */
import { Injectable } from '@nestjs/common';
import {
  type DomainEvent,
  type LedgerSummary,
  dayRangeToInstants,
  ledgerEntryFrom,
  localDayOf,
  summarizeLedger,
} from '@app/domain';
import { Database } from '@app/platform';

export interface AuditLedger extends LedgerSummary {
  readonly partnerId: string;
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly checkedEvents: number;
}

@Injectable()
export class AuditLedgerService {
  constructor(private readonly database: Database) {}

  async ledger(
    partnerId: string,
    asOf: string,
    timezone: string,
    from?: string,
    to?: string,
  ): Promise<AuditLedger> {
    // Straight from the log: no read-model table is consulted.
    const { rows } = await this.database.query<{
      event_id: string;
      type: string;
      data: Record<string, unknown>;
      occurred_at: Date;
    }>(
      // The type list is written out so that PostgreSQL uses the partial index events_partner_money.
      `SELECT event_id, type, data, occurred_at FROM events
        WHERE type IN ('CommissionEarned', 'CommissionClawedBack', 'PartnerPaid', 'LedgerAdjusted')
          AND data->>'partnerId' = $1 AND recorded_at <= $2
        ORDER BY transaction_id, global_position`,
      [partnerId, asOf],
    );
    const entries = rows.flatMap((row) => {
      const entry = ledgerEntryFrom(
        { type: row.type, data: row.data } as unknown as DomainEvent,
        row.occurred_at.toISOString(),
        row.event_id,
      );
      return entry ? [entry] : [];
    });
    const toDay = to ?? localDayOf(asOf, timezone);
    const fromDay =
      from ??
      (entries.length > 0
        ? localDayOf(
            entries.reduce((min, e) => (e.occurredAt < min ? e.occurredAt : min), asOf),
            timezone,
          )
        : toDay);
    const [start, end] = dayRangeToInstants(fromDay, toDay, timezone);
    return {
      partnerId,
      from: fromDay,
      to: toDay,
      asOf,
      checkedEvents: rows.length,
      ...summarizeLedger(entries, start, end),
    };
  }
}
