/**
 * Checks that every read model equals a replay of the log. For each projection it reads, in one
 * repeatable-read snapshot, the projection's checkpoint, its live tables and the events up to that
 * checkpoint; replays those events with the projection's own code into temporary copies of its
 * tables (on a second connection, in short transactions, so the log's readers are not held back);
 * and lists every row that differs, keyed by the table's primary key.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { type EventMetadata, type RecordedEvent, canonicalJson } from '@app/event-store';
import { Database } from '@app/platform';
import { PROJECTIONS, type Projection, type ProjectionContext } from '@app/projections';
import type { ReadModelCheck } from './audit-verifier';
import type { ReadModelDifference } from './chain-verifier';

const PAGE = 2000;
const MAX_DIFFERENCES_PER_TABLE = 50;
const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const replayName = (table: string) => `${table}__verify`;

interface EventRow {
  txid: string;
  seq: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  occurred_at: Date;
  recorded_at: Date;
}

@Injectable()
export class ReadModelVerifier implements ReadModelCheck {
  readonly readModel = 'read-models';

  constructor(
    private readonly database: Database,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
  ) {}

  async check(): Promise<{ checkedEvents: number; differences: ReadModelDifference[] }> {
    const differences: ReadModelDifference[] = [];
    let checkedEvents = 0;
    for (const projection of this.projections) {
      if (projection.rebuildable === false) continue;
      const result = await this.verify(projection);
      differences.push(...result.differences);
      checkedEvents = Math.max(checkedEvents, result.checkedEvents);
    }
    return { checkedEvents, differences };
  }

  async verify(
    projection: Projection,
  ): Promise<{ checkedEvents: number; differences: ReadModelDifference[] }> {
    const snapshot = await this.database.pool.connect();
    const replay = await this.database.pool.connect();
    try {
      // A read-only snapshot takes no transaction id, so it holds back no follower of the log.
      await snapshot.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await snapshot.query<{ txid: string; seq: string }>(
        'SELECT transaction_id::text AS txid, global_position::text AS seq FROM projection_checkpoints WHERE name = $1',
        [projection.name],
      );
      const checkpoint = rows[0] ?? { txid: '0', seq: '0' };
      for (const table of projection.tables) {
        await replay.query(`DROP TABLE IF EXISTS pg_temp.${quote(replayName(table))}`);
        await replay.query(
          `CREATE TEMP TABLE ${quote(replayName(table))} (LIKE ${quote(table)} INCLUDING ALL)`,
        );
      }
      const checkedEvents = await this.replay(projection, snapshot, replay, checkpoint);
      const differences: ReadModelDifference[] = [];
      for (const table of projection.tables)
        differences.push(...(await this.compare(projection.name, table, snapshot, replay)));
      await snapshot.query('COMMIT');
      return { checkedEvents, differences };
    } finally {
      for (const table of projection.tables) {
        await replay.query(`DROP TABLE IF EXISTS pg_temp.${quote(replayName(table))}`).catch(() => undefined);
      }
      await snapshot.query('ROLLBACK').catch(() => undefined);
      snapshot.release();
      replay.release();
    }
  }

  private async replay(
    projection: Projection,
    snapshot: PoolClient,
    replay: PoolClient,
    checkpoint: { txid: string; seq: string },
  ): Promise<number> {
    const context: ProjectionContext = {
      query: (text, params) => replay.query(text, params as unknown[]),
      table: (name) => {
        if (!projection.tables.includes(name))
          throw new Error(`Projection ${projection.name} does not own table ${name}`);
        return quote(replayName(name));
      },
    };
    const types = projection.handles === 'all' ? null : projection.handles;
    let after = ['0', '0'];
    let count = 0;
    for (;;) {
      const { rows } = await snapshot.query<EventRow>(
        `SELECT transaction_id::text AS txid, global_position::text AS seq, event_id, stream_id, stream_version, type, data,
                metadata, occurred_at, recorded_at
           FROM events
          WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
            AND (transaction_id, global_position) <= ($3::xid8, $4::bigint)
            AND ($5::text[] IS NULL OR type = ANY($5))
          ORDER BY transaction_id, global_position LIMIT $6`,
        [after[0], after[1], checkpoint.txid, checkpoint.seq, types, PAGE],
      );
      if (rows.length === 0) return count;
      const events: RecordedEvent[] = rows.map((r) => ({
        position: { transactionId: BigInt(r.txid), sequence: BigInt(r.seq) },
        eventId: r.event_id,
        streamId: r.stream_id,
        streamVersion: r.stream_version,
        type: r.type,
        data: r.data,
        metadata: r.metadata,
        occurredAt: r.occurred_at.toISOString(),
        recordedAt: r.recorded_at.toISOString(),
      }));
      await replay.query('BEGIN');
      try {
        await projection.apply(events, context);
        await replay.query('COMMIT');
      } catch (error) {
        await replay.query('ROLLBACK');
        throw error;
      }
      count += rows.length;
      const last = rows[rows.length - 1]!;
      after = [last.txid, last.seq];
    }
  }

  private async compare(
    readModel: string,
    table: string,
    snapshot: PoolClient,
    replay: PoolClient,
  ): Promise<ReadModelDifference[]> {
    const keyColumns = await this.primaryKey(table, snapshot);
    const live = await this.rows(snapshot, quote(table), keyColumns);
    const replayed = await this.rows(replay, quote(replayName(table)), keyColumns);
    const differences: ReadModelDifference[] = [];
    for (const [key, expected] of replayed) {
      const actual = live.get(key);
      if (actual === undefined || actual.text !== expected.text) {
        differences.push({
          readModel: `${readModel}:${table}`,
          key,
          expected: expected.row,
          actual: actual?.row ?? null,
        });
      }
    }
    for (const [key, actual] of live) {
      if (!replayed.has(key))
        differences.push({ readModel: `${readModel}:${table}`, key, expected: null, actual: actual.row });
    }
    return differences.slice(0, MAX_DIFFERENCES_PER_TABLE);
  }

  private async rows(
    client: PoolClient,
    table: string,
    keyColumns: string[],
  ): Promise<Map<string, { row: Record<string, unknown>; text: string }>> {
    const { rows } = await client.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
    const byKey = new Map<string, { row: Record<string, unknown>; text: string }>();
    for (const row of rows) {
      const normalised = JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
      const key =
        keyColumns.length > 0
          ? keyColumns.map((c) => String(normalised[c])).join('|')
          : canonicalJson(normalised);
      byKey.set(key, { row: normalised, text: canonicalJson(normalised) });
    }
    return byKey;
  }

  private async primaryKey(table: string, client: PoolClient): Promise<string[]> {
    const { rows } = await client.query<{ column_name: string }>(
      `SELECT a.attname AS column_name
         FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary
        ORDER BY array_position(i.indkey, a.attnum)`,
      [table],
    );
    return rows.map((r) => r.column_name);
  }
}
