/**
 * Checks that every read model equals a replay of the log, without holding any transaction long:
 * - the events up to the projection's checkpoint are replayed with the projection's own code into
 *   temporary copies of its tables, a page at a time, each page in transactions of about a quarter of
 *   PROJECTION_TRANSACTION_MS, sized from the measured cost per event as the runner does (events at
 *   or before a checkpoint never change, so no snapshot has to stay open meanwhile); once more up to
 *   the checkpoint it reached meanwhile, so that little is left for the pause;
 * - then the projection is paused between two of its transactions (an advisory lock that the runner
 *   tries before each one; nothing waits inside a transaction), the few events it applied meanwhile
 *   are replayed too, and each table is compared with its copy by SQL (EXCEPT both ways), one
 *   statement per table, read-only. An inline projection (the write model) is paused the same way:
 *   its writers hold that lock shared while they write, so every event committed is then in its tables;
 * - every row that differs is listed, keyed by the table's primary key.
 * Read models are checked two at a time, each on a connection of its own named `verify:<name>` (its
 * transactions show in pg_stat_activity as the runner's `projection:<name>` do).
 */
import { Inject, Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { type TextPosition, canonicalJson, readEventRange } from '@app/event-store';
import { type AppConfig, Database, inTransaction } from '@app/platform';
import {
  PROJECTIONS,
  type Projection,
  applyInTimedChunks,
  freshTiming,
  projectionContext,
  projectionPauseKey,
  quoteIdentifier as quote,
} from '@app/projections';
import { InjectConfig } from '../infrastructure/infrastructure.module';
import type { ReadModelCheck, VerifyProgress } from './audit-verifier';
import type { ReadModelDifference } from './chain-verifier';

const PAGE = 2000;
/**
 * Passes up to the checkpoint before the pause, the next one only while the last replayed a page or
 * more (the projection moved on meanwhile): the pause then has little left to replay.
 */
const CATCH_UP_PASSES = 4;
const PARALLEL = 2;
const MAX_DIFFERENCES_PER_TABLE = 50;
const replayName = (table: string) => `${table}__verify`;

type Checkpoint = TextPosition;

/** How far a replay is: the position it reached and the events it applied. */
interface Replayed {
  readonly after: Checkpoint;
  readonly count: number;
}

/** Past any position. */
const EVERYTHING: Checkpoint = { txid: '18446744073709551615', seq: '9223372036854775807' };

@Injectable()
export class ReadModelVerifier implements ReadModelCheck {
  readonly readModel = 'read-models';

  constructor(
    private readonly database: Database,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async check(
    onProgress?: (progress: VerifyProgress) => void,
  ): Promise<{ checkedEvents: number; differences: ReadModelDifference[] }> {
    const queue = this.projections.filter((p) => p.rebuildable !== false);
    const results: { checkedEvents: number; differences: ReadModelDifference[] }[] = [];
    const worker = async () => {
      for (let projection = queue.shift(); projection; projection = queue.shift()) {
        const name = projection.name;
        results.push(
          await this.verify(projection, (done, total) =>
            onProgress?.({ step: `read model ${name}`, done, total }),
          ),
        );
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    return {
      checkedEvents: Math.max(0, ...results.map((r) => r.checkedEvents)),
      differences: results.flatMap((r) => r.differences),
    };
  }

  async verify(
    projection: Projection,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ checkedEvents: number; differences: ReadModelDifference[] }> {
    const replay = new Client({
      connectionString: this.database.url,
      application_name: `verify:${projection.name}`,
    });
    replay.on('error', () => undefined);
    await replay.connect();
    let paused = false;
    try {
      // A session of its own: the temporary tables go with it.
      for (const table of projection.tables) {
        await replay.query(
          `CREATE TEMP TABLE ${quote(replayName(table))} (LIKE ${quote(table)} INCLUDING ALL)`,
        );
      }
      const total = Number((await this.checkpoint(replay, projection.name)).seq);
      const progress = (position: Checkpoint) => onProgress?.(Math.min(total, Number(position.seq)), total);
      const replayer = new PageReplayer(replay, projection, this.config.projectionTransactionMs, progress);
      let state: Replayed = { after: { txid: '0', seq: '0' }, count: 0 };
      for (let pass = 0; pass < CATCH_UP_PASSES; pass++) {
        const before = state.count;
        state = await replayer.replay(state, await this.checkpoint(replay, projection.name));
        if (state.count - before < PAGE) break;
      }
      // Pause the projection between two of its transactions, catch up with what it did meanwhile,
      // then compare: the live tables do not move until the lock is released.
      await replay.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
        projectionPauseKey(projection.name),
      ]);
      paused = true;
      // An inline projection's writers hold that lock while they write: paused, every event committed
      // is applied to the live tables, however far its checkpoint is.
      const last = projection.inline ? EVERYTHING : await this.checkpoint(replay, projection.name);
      state = await replayer.replay(state, last);
      const differences: ReadModelDifference[] = [];
      for (const table of projection.tables)
        differences.push(...(await this.compare(projection.name, table, replay)));
      onProgress?.(total, total);
      return { checkedEvents: state.count, differences };
    } finally {
      if (paused) {
        await replay
          .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [projectionPauseKey(projection.name)])
          .catch(() => undefined);
      }
      await replay.end().catch(() => undefined);
    }
  }

  private async checkpoint(client: Client, name: string): Promise<Checkpoint> {
    const { rows } = await client.query<Checkpoint>(
      'SELECT transaction_id::text AS txid, global_position::text AS seq FROM projection_checkpoints WHERE name = $1',
      [name],
    );
    return rows[0] ?? { txid: '0', seq: '0' };
  }

  /** The rows only in the replay (or different there) and only in the live table, by SQL. */
  private async compare(readModel: string, table: string, client: Client): Promise<ReadModelDifference[]> {
    const keyColumns = await this.primaryKey(table, client);
    const live = quote(table);
    const replayed = quote(replayName(table));
    const only = async (left: string, right: string) =>
      this.rows(
        client,
        `SELECT * FROM (SELECT * FROM ${left} EXCEPT ALL SELECT * FROM ${right}) d LIMIT ${MAX_DIFFERENCES_PER_TABLE * 2}`,
        keyColumns,
      );
    const expectedOnly = await only(replayed, live);
    const actualOnly = await only(live, replayed);
    const differences: ReadModelDifference[] = [];
    for (const [key, expected] of expectedOnly) {
      const actual = actualOnly.get(key);
      differences.push({
        readModel: `${readModel}:${table}`,
        key,
        expected: expected.row,
        actual: actual?.row ?? null,
      });
    }
    for (const [key, actual] of actualOnly) {
      if (!expectedOnly.has(key))
        differences.push({ readModel: `${readModel}:${table}`, key, expected: null, actual: actual.row });
    }
    return differences.slice(0, MAX_DIFFERENCES_PER_TABLE);
  }

  private async rows(
    client: Client,
    sql: string,
    keyColumns: string[],
  ): Promise<Map<string, { row: Record<string, unknown>; text: string }>> {
    const { rows } = await client.query<Record<string, unknown>>(sql);
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

  private async primaryKey(table: string, client: Client): Promise<string[]> {
    // The live table's key (the temporary copy has the same columns and key).
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

/**
 * Replays ranges of the log into the temporary tables: keyset pages, each applied in transactions of
 * about a quarter of the budget (the cost per event measured along the way, as the runner does).
 */
class PageReplayer {
  private readonly timing = freshTiming();

  constructor(
    private readonly client: Client,
    private readonly projection: Projection,
    private readonly maxTransactionMs: number,
    private readonly progress: (position: Checkpoint) => void,
  ) {}

  /** Replays the events in (from.after, upTo]. */
  async replay(from: Replayed, upTo: Checkpoint): Promise<Replayed> {
    const context = projectionContext(this.client, this.projection, replayName);
    const types = this.projection.handles === 'all' ? null : this.projection.handles;
    const budget = { maxTransactionMs: this.maxTransactionMs, timing: this.timing };
    let { after, count } = from;
    for (;;) {
      // Events at or before a checkpoint were readable when it was stored and never change.
      const page = await readEventRange(this.client, { after, upTo, types, limit: PAGE });
      if (page.events.length === 0) return { after, count };
      await applyInTimedChunks(page.events, budget, async (chunk) => {
        const started = performance.now();
        await inTransaction(this.client, () => this.projection.apply(chunk, context));
        return performance.now() - started;
      });
      count += page.events.length;
      after = page.next;
      this.progress(after);
    }
  }
}
