/**
 * Rebuilds a projection from the start of the log without taking it away: shadow copies of its
 * tables are filled in short batches while the live ones keep answering, then take their place by
 * name in one short transaction (no copy, whatever their size), with the live checkpoint moved
 * along. An inline projection's writers keep writing the live tables meanwhile: its swap first
 * pauses them and applies the last few events to the shadow (see finishInlineRebuild).
 */
import type { Client } from 'pg';
import { inTransaction } from '@app/platform';
import type { BatchApplier } from './batch-applier';
import { type CheckpointRow, positionOf } from './checkpoint';
import { finishInlineRebuild } from './inline-projection';
import type { Projection } from './projection';
import { quoteIdentifier as quote, shadowName } from './projection-tables';

/** After a swap that could not take its locks at once. */
const RETRY_SWAP_MS = 50;

/** A table name as regclass::text prints it (quoted only when it has to be). */
const unquote = (name: string): string =>
  name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;

export class ShadowRebuild {
  constructor(private readonly applier: BatchApplier) {}

  /** One step of a rebuild; true once the shadow tables have caught up and were swapped in. */
  async step(projection: Projection, client: Client, checkpoint: CheckpointRow): Promise<boolean> {
    if (checkpoint.rebuild_txid === null) {
      await this.prepare(projection, client);
      return false;
    }
    const from = positionOf(checkpoint.rebuild_txid, checkpoint.rebuild_seq);
    const step = await this.applier.catchUp(projection, client, from, true);
    if (step.full) return false;
    if (projection.inline) {
      const swapped = await finishInlineRebuild(projection, client, (p, c) => this.replaceLive(p, c));
      if (swapped) await this.validateReferences(projection, client);
      // A writer or a reader held a lock, or a burst came in: catch up again a little later.
      else await new Promise((resolve) => setTimeout(resolve, RETRY_SWAP_MS));
      return swapped;
    }
    await this.swap(projection, client);
    await this.validateReferences(projection, client);
    return true;
  }

  /** Empty shadow tables shaped like the live ones, and the rebuild's checkpoint at the start. */
  private async prepare(projection: Projection, client: Client): Promise<void> {
    await inTransaction(client, async () => {
      for (const table of projection.tables) {
        await client.query(`DROP TABLE IF EXISTS ${quote(shadowName(table))}`);
        await client.query(`CREATE TABLE ${quote(shadowName(table))} (LIKE ${quote(table)} INCLUDING ALL)`);
        await this.copyStorageParameters(client, table);
      }
      await client.query(
        `UPDATE projection_checkpoints SET rebuild_transaction_id = '0', rebuild_global_position = 0, status = 'rebuilding'
          WHERE name = $1`,
        [projection.name],
      );
    });
  }

  /** LIKE copies no storage parameters: the shadow gets the live table's (fillfactor, ...). */
  private async copyStorageParameters(client: Client, table: string): Promise<void> {
    const { rows } = await client.query<{ options: string | null }>(
      `SELECT array_to_string(reloptions, ', ') AS options FROM pg_class WHERE oid = to_regclass($1)`,
      [quote(table)],
    );
    const options = rows[0]?.options;
    if (options) await client.query(`ALTER TABLE ${quote(shadowName(table))} SET (${options})`);
  }

  /**
   * Caught up with the head: the shadow tables take the live tables' place by name, their indexes
   * the live indexes' names, and the live checkpoint moves to the rebuild's.
   */
  private async swap(projection: Projection, client: Client): Promise<void> {
    await inTransaction(client, async () => {
      await this.replaceLive(projection, client);
      await client.query(
        `UPDATE projection_checkpoints
            SET transaction_id = rebuild_transaction_id, global_position = rebuild_global_position,
                rebuild_transaction_id = NULL, rebuild_global_position = NULL, rebuild_requested_at = NULL,
                status = 'running', last_error = NULL, updated_at = now()
          WHERE name = $1`,
        [projection.name],
      );
    });
  }

  /**
   * Inside the caller's transaction: drops the live tables and gives the shadow tables their names,
   * and their indexes the live indexes' names. Foreign keys from or to the live tables (a copy made
   * LIKE a table has none) are dropped first and made again on the new tables, NOT VALID so that no
   * table is scanned here: they hold for every later write at once, and validateReferences checks
   * the rows already there after the commit, without blocking writers.
   */
  private async replaceLive(projection: Projection, client: Client): Promise<void> {
    const references = await this.foreignKeys(projection, client);
    const referencing = references.map((r) => r.table).filter((t) => !projection.tables.includes(t));
    const locked = [...new Set([...projection.tables, ...referencing])].map(quote).join(', ');
    await client.query(`LOCK TABLE ${locked} IN ACCESS EXCLUSIVE MODE`);
    for (const reference of references)
      if (!projection.tables.includes(reference.table))
        await client.query(`ALTER TABLE ${quote(reference.table)} DROP CONSTRAINT ${quote(reference.name)}`);
    for (const table of projection.tables) {
      const names = await this.indexNames(client, table);
      await client.query(`DROP TABLE ${quote(table)}`);
      await client.query(`ALTER TABLE ${quote(shadowName(table))} RENAME TO ${quote(table)}`);
      for (const [from, to] of names) await client.query(`ALTER INDEX ${quote(from)} RENAME TO ${quote(to)}`);
    }
    for (const reference of references)
      await client.query(
        `ALTER TABLE ${quote(reference.table)} ADD CONSTRAINT ${quote(reference.name)} ${reference.definition} NOT VALID`,
      );
  }

  /** Foreign keys of the live tables and those that reference them: owner, name, definition. */
  private async foreignKeys(
    projection: Projection,
    client: Client,
  ): Promise<{ table: string; name: string; definition: string }[]> {
    const { rows } = await client.query<{ table: string; name: string; definition: string }>(
      `SELECT DISTINCT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c
        WHERE c.contype = 'f'
          AND (c.conrelid = ANY($1::regclass[]) OR c.confrelid = ANY($1::regclass[]))
        ORDER BY 1, 2`,
      [projection.tables.map(quote)],
    );
    return rows.map((row) => ({ ...row, table: unquote(row.table) }));
  }

  /** Checks the rows already in the tables against the foreign keys made NOT VALID at the swap. */
  private async validateReferences(projection: Projection, client: Client): Promise<void> {
    const { rows } = await client.query<{ table: string; name: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.conname AS name
         FROM pg_constraint c
        WHERE c.contype = 'f' AND NOT c.convalidated
          AND (c.conrelid = ANY($1::regclass[]) OR c.confrelid = ANY($1::regclass[]))`,
      [projection.tables.map(quote)],
    );
    for (const row of rows)
      await client.query(`ALTER TABLE ${quote(unquote(row.table))} VALIDATE CONSTRAINT ${quote(row.name)}`);
  }

  /** Pairs each index of the shadow of `table` with the live index of the same definition. */
  private async indexNames(client: Client, table: string): Promise<[string, string][]> {
    const indexes = async (relation: string) =>
      (
        await client.query<{ name: string; def: string }>(
          `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = to_regclass($1) ORDER BY i.relname`,
          [quote(relation)],
        )
      ).rows;
    // The definition without the index's own name and with the live table's name.
    const shape = (def: string, name: string, relation: string) =>
      def
        .replace(`INDEX ${quote(name)} `, 'INDEX ')
        .replace(`INDEX ${name} `, 'INDEX ')
        .split(` ${quote(relation)} `)
        .join(' T ')
        .split(` public.${quote(relation)} `)
        .join(' T ')
        .split(` public.${relation} `)
        .join(' T ')
        .split(` ${relation} `)
        .join(' T ');
    const live = await indexes(table);
    const pairs: [string, string][] = [];
    const taken = new Set<string>();
    for (const index of await indexes(shadowName(table))) {
      const wanted = shape(index.def, index.name, shadowName(table));
      const match = live.find((l) => !taken.has(l.name) && shape(l.def, l.name, table) === wanted);
      if (!match || match.name === index.name) continue;
      taken.add(match.name);
      pairs.push([index.name, match.name]);
    }
    return pairs;
  }
}
