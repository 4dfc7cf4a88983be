/** A partner's ledger recomputed from the event log alone, as recorded up to a moment. */
import { Injectable } from '@nestjs/common';
import {
  type DomainEvent,
  type LedgerSummary,
  LAST_DAY,
  dayRangeToInstants,
  isLocalDay,
  ledgerEntryFrom,
  localDayOf,
  summarizeLedger,
} from '@app/domain';
import { Database, badRequest, notFound } from '@app/platform';
import { partnerStream } from '../configuration/configuration.streams';

export interface AuditLedger extends LedgerSummary {
  readonly partnerId: string;
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly checkedEvents: number;
}

/** The local day of an instant, but 9999-12-31 for the last hours of 9999 that fall on 10000-01-01. */
function dayWithinCalendar(instant: string, timezone: string): string {
  const day = localDayOf(instant, timezone);
  return isLocalDay(day) ? day : LAST_DAY;
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
    // Straight from the log: no read-model table is consulted. A partner never enrolled is 404, as on
    // the read-model ledger; one enrolled after asOf has an empty ledger as of then.
    const enrolled = await this.database.query(`SELECT 1 FROM events WHERE stream_id = $1 LIMIT 1`, [
      partnerStream(partnerId),
    ]);
    if (!enrolled.rowCount) throw notFound(`No partner ${partnerId}`);
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
    const toDay = to ?? dayWithinCalendar(asOf, timezone);
    const firstDay =
      entries.length > 0
        ? dayWithinCalendar(
            entries.reduce((min, e) => (e.occurredAt < min ? e.occurredAt : min), asOf),
            timezone,
          )
        : toDay;
    const fromDay = from ?? (firstDay < toDay ? firstDay : toDay);
    if (fromDay > toDay)
      throw badRequest('from is after to', [
        { path: 'from', message: 'must not be after to (by default the day of asOf)' },
      ]);
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
