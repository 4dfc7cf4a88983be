/**
 * Rebuilds a projection from the start of the log without taking it away: shadow copies of its
 * tables are filled while the live ones keep answering, then take their place by name in one short
 * transaction (no copy, whatever their size), with the live checkpoint moved along.
 */
import type { Client } from 'pg';
import { inTransaction } from '@app/platform';
import type { BatchApplier } from './batch-applier';
import { type CheckpointRow, positionOf } from './checkpoint';
import type { Projection } from './projection';
import { quoteIdentifier as quote, shadowName } from './projection-tables';

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
    await this.swap(projection, client);
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
      for (const table of projection.tables) {
        const names = await this.indexNames(client, table);
        await client.query(`DROP TABLE ${quote(table)}`);
        await client.query(`ALTER TABLE ${quote(shadowName(table))} RENAME TO ${quote(table)}`);
        for (const [from, to] of names)
          await client.query(`ALTER INDEX ${quote(from)} RENAME TO ${quote(to)}`);
      }
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
