/**
 * What a simulation reads from the event log, always through the caller's read-only snapshot and in
 * keyset pages: the partner events, the collections and refunds of a range of business time, and the
 * streams of their attempts. Nothing here writes.
 */
import { Injectable } from '@nestjs/common';
import {
  type LogOrder,
  type PartnerEvent,
  type RecordedAttemptEvent,
  type ReplayedAttemptEvent,
  ATTEMPT_EVENT_TYPES,
  PartnerTimeline,
} from '@app/domain';
import { LOG_START, type LogPosition, comparePositions } from '@app/event-store';
import type { Queryable } from '@app/platform';
import { attemptStream } from '../../attempts/attempt-stream';

export type TriggerType = 'PaymentCollected' | 'RefundIssued';

/** A collection or refund whose business time is in the range. */
export interface Trigger {
  readonly eventId: string;
  readonly attemptId: string;
  readonly position: LogPosition;
}

export interface TriggerPage {
  readonly triggers: readonly Trigger[];
  /** The streams of the triggers' attempts, by attempt id, in stream order. */
  readonly streams: ReadonlyMap<string, readonly RecordedAttemptEvent[]>;
  /** Where the next page starts. */
  readonly last: LogPosition;
  /** A full page: there may be more. */
  readonly full: boolean;
}

interface EventRow {
  txid: string;
  seq: string;
}

const toPosition = (row: EventRow): LogPosition => ({
  transactionId: BigInt(row.txid),
  sequence: BigInt(row.seq),
});

const ATTEMPT_TYPES: readonly string[] = ATTEMPT_EVENT_TYPES;

@Injectable()
export class SimulationLog {
  /** The last position in the snapshot (LOG_START for an empty log). */
  async head(q: Queryable): Promise<LogPosition> {
    const { rows } = await q.query<EventRow>(
      `SELECT transaction_id::text AS txid, global_position::text AS seq FROM events
        ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
    );
    return rows[0] ? toPosition(rows[0]) : LOG_START;
  }

  /** Every partner as it was at every point of the log; its size follows the partners, not the sales. */
  async partnerTimeline(
    q: Queryable,
    pageSize: number,
  ): Promise<{ timeline: PartnerTimeline; events: number }> {
    const timeline = new PartnerTimeline();
    let after = LOG_START;
    let events = 0;
    for (;;) {
      const { rows } = await q.query<EventRow & { type: string; data: Record<string, unknown> }>(
        `SELECT transaction_id::text AS txid, global_position::text AS seq, type, data FROM events
          WHERE type IN ('PartnerEnrolled', 'PartnerChanged')
            AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
          ORDER BY events.transaction_id, events.global_position
          LIMIT $3`,
        [after.transactionId.toString(), after.sequence.toString(), pageSize],
      );
      for (const row of rows) {
        after = toPosition(row);
        timeline.apply({ type: row.type, data: row.data } as unknown as PartnerEvent, after);
      }
      events += rows.length;
      if (rows.length < pageSize) return { timeline, events };
    }
  }

  /** How many collections and refunds the range holds (for a progress bar). */
  async countTriggers(q: Queryable, startInclusive: string, endExclusive: string): Promise<number> {
    const { rows } = await q.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM events
        WHERE type IN ('PaymentCollected', 'RefundIssued') AND occurred_at >= $1 AND occurred_at < $2`,
      [startInclusive, endExclusive],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * The next page of collections or refunds after `after` (log order) dated in [start, end), with
   * the streams of their attempts, each in stream order: one round trip.
   */
  async page(
    q: Queryable,
    type: TriggerType,
    after: LogPosition,
    startInclusive: string,
    endExclusive: string,
    limit: number,
  ): Promise<TriggerPage> {
    const { rows } = await q.query<
      EventRow & {
        is_trigger: boolean;
        event_id: string;
        attempt_id: string;
        type: string | null;
        data: Record<string, unknown> | null;
      }
    >(
      // One trigger type at a time, so that the scan follows the index (type, transaction_id,
      // global_position); each attempt's stream is then an index lookup (stream_id, stream_version).
      // Recorded decisions come back with only what a replay reads of them (RecordedDecision): their
      // explanations are most of the bytes of a page.
      `WITH page AS MATERIALIZED (
         SELECT transaction_id, global_position, event_id, data->>'attemptId' AS attempt_id
           FROM events
          WHERE type = $1 AND (transaction_id, global_position) > ($2::xid8, $3::bigint)
            AND occurred_at >= $4 AND occurred_at < $5
          ORDER BY events.transaction_id, events.global_position
          LIMIT $6
       )
       SELECT true AS is_trigger, transaction_id::text AS txid, global_position::text AS seq, event_id, attempt_id,
              NULL::text AS type, NULL::jsonb AS data, 0 AS stream_version
         FROM page
       UNION ALL
       SELECT false, e.transaction_id::text, e.global_position::text, e.event_id, a.attempt_id, e.type,
              CASE WHEN e.type IN ('CommissionEarned', 'CommissionClawedBack')
                   THEN jsonb_build_object('commissionId', e.data->'commissionId', 'partnerId', e.data->'partnerId',
                          'productId', e.data->'productId', 'amountMinor', e.data->'amountMinor',
                          'renewalNumber', e.data->'renewalNumber')
                   ELSE e.data END,
              e.stream_version
         FROM (SELECT DISTINCT attempt_id FROM page) a
         JOIN events e ON e.stream_id = $7 || a.attempt_id
        ORDER BY attempt_id, stream_version`,
      [
        type,
        after.transactionId.toString(),
        after.sequence.toString(),
        startInclusive,
        endExclusive,
        limit,
        attemptStream(''),
      ],
    );
    const triggers: Trigger[] = [];
    const streams = new Map<string, RecordedAttemptEvent[]>();
    let last = after;
    for (const row of rows) {
      const position = toPosition(row);
      if (row.is_trigger) {
        triggers.push({ eventId: row.event_id, attemptId: row.attempt_id, position });
        if (comparePositions(position, last) > 0) last = position;
        if (!streams.has(row.attempt_id)) streams.set(row.attempt_id, []);
        continue;
      }
      if (row.type === null || !ATTEMPT_TYPES.includes(row.type)) continue;
      let stream = streams.get(row.attempt_id);
      if (!stream) streams.set(row.attempt_id, (stream = []));
      stream.push({
        event: { type: row.type, data: row.data } as unknown as ReplayedAttemptEvent,
        eventId: row.event_id,
        order: position,
      });
    }
    return { triggers, streams, last, full: triggers.length === limit };
  }

  /**
   * Where the renewals of these subscriptions were collected, in the log: a renewal's count of earlier
   * collected renewals, when no recorded commission states it.
   */
  async renewalCollections(
    q: Queryable,
    subscriptionIds: readonly string[],
  ): Promise<Map<string, LogOrder[]>> {
    const collections = new Map<string, LogOrder[]>(subscriptionIds.map((id) => [id, []]));
    if (subscriptionIds.length === 0) return collections;
    const { rows } = await q.query<EventRow & { subscription_id: string }>(
      `SELECT p.data->>'subscriptionId' AS subscription_id, c.transaction_id::text AS txid, c.global_position::text AS seq
         FROM events p
         JOIN events c ON c.stream_id = p.stream_id AND c.type = 'PaymentCollected'
        WHERE p.type = 'PurchaseAttempted' AND p.data->>'kind' = 'renewal'
          AND p.data->>'subscriptionId' = ANY($1::text[])`,
      [subscriptionIds],
    );
    for (const row of rows) collections.get(row.subscription_id)?.push(toPosition(row));
    return collections;
  }
}
