/**
 * The attempts a batch of a report projection touches, in that report's own attempts table: loaded
 * with one query and written back with one, while the batch's events are folded in memory in log
 * order, exactly as one statement per event would have changed the rows.
 */
import type { ProjectionContext } from '@app/projections';

export interface AttemptColumn<Value> {
  /** The element type of the parameter array the column's values travel in ('text', 'date', ...). */
  readonly type: string;
  /** How a value travels (default: as it is). */
  readonly encode?: (value: Value) => unknown;
  /** The stored expression made from the parameter (default: the parameter itself). */
  readonly store?: (parameter: string) => string;
  /** The expression that reads the column back into the row (default: the column). */
  readonly read?: string;
  /** Whether saving again changes it; a column that is not updated keeps its first value. */
  readonly updated: boolean;
}

/** An attempts table keyed by attempt_id, and how each column of its rows is read and written. */
export interface AttemptTable<Row extends object> {
  readonly name: string;
  readonly columns: { readonly [K in keyof Row & string]: AttemptColumn<Row[K]> };
}

/** The attempt ids the events of a batch name. */
export function attemptIdsOf(events: readonly { readonly data: object }[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const id = (event.data as { attemptId?: unknown }).attemptId;
    if (typeof id === 'string') ids.add(id);
  }
  return [...ids];
}

export class AttemptRows<Row extends object> {
  private readonly rows = new Map<string, Row>();
  private readonly changed = new Set<string>();

  private constructor(private readonly table: AttemptTable<Row>) {}

  private get columns(): [keyof Row & string, AttemptColumn<Row[keyof Row]>][] {
    return Object.entries(this.table.columns) as [keyof Row & string, AttemptColumn<Row[keyof Row]>][];
  }

  /** The rows of `ids` as stored. */
  static async load<Row extends object>(
    ctx: ProjectionContext,
    table: AttemptTable<Row>,
    ids: readonly string[],
  ): Promise<AttemptRows<Row>> {
    const attempts = new AttemptRows(table);
    if (ids.length === 0) return attempts;
    const read = attempts.columns.map(([name, column]) => column.read ?? name);
    const { rows } = await ctx.query<Row & { attempt_id: string }>(
      `SELECT attempt_id, ${read.join(', ')} FROM ${ctx.table(table.name)} WHERE attempt_id = ANY($1)`,
      [ids],
    );
    for (const { attempt_id, ...row } of rows) attempts.rows.set(attempt_id, row as unknown as Row);
    return attempts;
  }

  get(attemptId: string): Readonly<Row> | undefined {
    return this.rows.get(attemptId);
  }

  /** A new attempt; the first one wins, like ON CONFLICT DO NOTHING. */
  create(attemptId: string, row: Row): void {
    if (this.rows.has(attemptId)) return;
    this.rows.set(attemptId, row);
    this.changed.add(attemptId);
  }

  update(attemptId: string, changes: Partial<Row>): void {
    const row = this.rows.get(attemptId);
    if (!row) return;
    Object.assign(row, changes);
    this.changed.add(attemptId);
  }

  /** Writes the created and updated rows, in one statement. */
  async save(ctx: ProjectionContext): Promise<void> {
    if (this.changed.size === 0) return;
    const ids = [...this.changed];
    const columns = this.columns;
    const names = columns.map(([name]) => name);
    const changedRows = ids.map((id) => {
      const row = this.rows.get(id);
      if (!row) throw new Error(`The changed attempt ${id} has no row`);
      return row;
    });
    const parameters = columns.map(([name, column]) =>
      changedRows.map((row) => {
        const value = row[name];
        return column.encode ? column.encode(value) : value;
      }),
    );
    const updated = columns
      .filter(([, column]) => column.updated)
      .map(([name]) => `${name} = EXCLUDED.${name}`);
    await ctx.query(
      `INSERT INTO ${ctx.table(this.table.name)} (attempt_id, ${names.join(', ')})
       SELECT u.attempt_id, ${columns.map(([name, column]) => (column.store ? column.store(`u.${name}`) : `u.${name}`)).join(', ')}
         FROM unnest($1::text[], ${columns.map(([, column], i) => `$${i + 2}::${column.type}[]`).join(', ')})
           AS u (attempt_id, ${names.join(', ')})
       ON CONFLICT (attempt_id) DO ${updated.length > 0 ? `UPDATE SET ${updated.join(', ')}` : 'NOTHING'}`,
      [ids, ...parameters],
    );
  }
}
