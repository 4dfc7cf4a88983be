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
import { LOG_START, type LogPosition } from '@app/event-store';
import type { Queryable } from '@app/platform';
import { attemptStream } from '../../attempts/attempt-stream';

export type TriggerType = 'PaymentCollected' | 'RefundIssued';

/** A collection or refund whose business time is in the range. */
export interface Trigger {
  readonly eventId: string;
  readonly attemptId: string;
  readonly position: LogPosition;
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

  /** The next page of collections or refunds after `after` (log order) dated in [start, end). */
  async triggers(
    q: Queryable,
    type: TriggerType,
    after: LogPosition,
    startInclusive: string,
    endExclusive: string,
    limit: number,
  ): Promise<Trigger[]> {
    // One type at a time, so that the scan follows the index (type, transaction_id, global_position).
    const { rows } = await q.query<EventRow & { event_id: string; attempt_id: string }>(
      `SELECT transaction_id::text AS txid, global_position::text AS seq, event_id, data->>'attemptId' AS attempt_id
         FROM events
        WHERE type = $1 AND (transaction_id, global_position) > ($2::xid8, $3::bigint)
          AND occurred_at >= $4 AND occurred_at < $5
        ORDER BY events.transaction_id, events.global_position
        LIMIT $6`,
      [type, after.transactionId.toString(), after.sequence.toString(), startInclusive, endExclusive, limit],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      attemptId: row.attempt_id,
      position: toPosition(row),
    }));
  }

  /** The attempts' streams, each in stream order. */
  async attemptStreams(
    q: Queryable,
    attemptIds: readonly string[],
  ): Promise<Map<string, RecordedAttemptEvent[]>> {
    const streams = new Map<string, RecordedAttemptEvent[]>(attemptIds.map((id) => [id, []]));
    if (attemptIds.length === 0) return streams;
    const byStream = new Map(attemptIds.map((id) => [attemptStream(id), id]));
    const { rows } = await q.query<
      EventRow & { stream_id: string; event_id: string; type: string; data: Record<string, unknown> }
    >(
      // Recorded decisions come back with only what a replay reads of them (RecordedDecision): their
      // explanations are most of the bytes of a page.
      `SELECT stream_id, transaction_id::text AS txid, global_position::text AS seq, event_id, type,
              CASE WHEN type IN ('CommissionEarned', 'CommissionClawedBack')
                   THEN jsonb_build_object('commissionId', data->'commissionId', 'partnerId', data->'partnerId',
                          'productId', data->'productId', 'amountMinor', data->'amountMinor',
                          'renewalNumber', data->'renewalNumber')
                   ELSE data END AS data
         FROM events WHERE stream_id = ANY($1::text[])
        ORDER BY stream_id, stream_version`,
      [[...byStream.keys()]],
    );
    for (const row of rows) {
      if (!ATTEMPT_TYPES.includes(row.type)) continue;
      const attemptId = byStream.get(row.stream_id);
      if (attemptId === undefined) continue;
      streams.get(attemptId)!.push({
        event: { type: row.type, data: row.data } as unknown as ReplayedAttemptEvent,
        eventId: row.event_id,
        order: toPosition(row),
      });
    }
    return streams;
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
