/** Checks the tamper-evidence chain against the event rows as they are now. */
import { Injectable } from '@nestjs/common';
import { type EventRow, toRecordedEvent } from '@app/event-store';
import { Database } from '@app/platform';
import { GENESIS_HASH, chainHash } from './audit-chain';

export interface ReadModelDifference {
  readonly readModel: string;
  readonly key: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** A link of the chain with the event row it covers (null columns when that row was deleted). */
interface ChainRow extends Omit<EventRow, 'event_id'> {
  chained_event_id: string;
  previous_hash: string;
  hash: string;
  event_id: string | null;
}

const PAGE = 2000;

@Injectable()
export class ChainVerifier {
  constructor(private readonly database: Database) {}

  async verify(
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ checkedEvents: number; differences: ReadModelDifference[] }> {
    const differences: ReadModelDifference[] = [];
    const { rows: head } = await this.database.query<{ n: string }>(
      'SELECT coalesce(max(global_position), 0)::text AS n FROM event_hashes',
    );
    const total = Number(head[0]?.n ?? 0);
    let previous = GENESIS_HASH;
    let after: [string, string] = ['0', '0'];
    let checked = 0;
    for (;;) {
      const { rows } = await this.database.query<ChainRow>(
        `SELECT h.transaction_id::text AS txid, h.global_position::text AS seq, h.event_id AS chained_event_id,
                h.previous_hash, h.hash, e.event_id, e.stream_id, e.stream_version, e.type, e.data, e.metadata,
                e.occurred_at, e.recorded_at
           FROM event_hashes h LEFT JOIN events e ON e.global_position = h.global_position
          WHERE (h.transaction_id, h.global_position) > ($1::xid8, $2::bigint)
          ORDER BY h.transaction_id, h.global_position LIMIT $3`,
        [after[0], after[1], PAGE],
      );
      for (const row of rows) {
        checked++;
        if (row.previous_hash !== previous) {
          differences.push({
            readModel: 'audit-chain',
            key: row.chained_event_id,
            expected: previous,
            actual: row.previous_hash,
          });
        }
        if (row.event_id === null) {
          differences.push({
            readModel: 'event-log',
            key: row.chained_event_id,
            expected: 'the event',
            actual: 'missing: the event row was deleted',
          });
        } else {
          const recomputed = chainHash(
            row.previous_hash,
            toRecordedEvent({ ...row, event_id: row.event_id }),
          );
          if (recomputed !== row.hash) {
            differences.push({
              readModel: 'event-log',
              key: row.chained_event_id,
              expected: row.hash,
              actual: recomputed,
            });
          }
        }
        previous = row.hash;
        after = [row.txid, row.seq];
      }
      onProgress?.(Math.min(total, Number(after[1])), total);
      if (rows.length < PAGE) break;
    }
    // Rows below the chain head that the chain never saw were inserted behind its back.
    const inserted = await this.database.query<{ event_id: string }>(
      `SELECT e.event_id FROM events e LEFT JOIN event_hashes h ON h.global_position = e.global_position
        WHERE h.global_position IS NULL AND (e.transaction_id, e.global_position) < ($1::xid8, $2::bigint)
        ORDER BY e.transaction_id, e.global_position LIMIT 100`,
      after,
    );
    for (const row of inserted.rows) {
      differences.push({
        readModel: 'event-log',
        key: row.event_id,
        expected: 'no event here',
        actual: 'an event the chain never recorded',
      });
    }
    return { checkedEvents: checked, differences };
  }
}
