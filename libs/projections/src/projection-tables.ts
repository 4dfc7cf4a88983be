/** The physical names of a projection's tables, live or in shadow, and the context that hands them out. */
import type { Client, PoolClient } from 'pg';
import type { Projection, ProjectionContext } from './projection';

export const quoteIdentifier = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/** Where a rebuild writes a table until the swap. */
export const shadowName = (table: string): string => `${table}__rebuild`;

/**
 * Queries on `client`; the projection's own tables are named by `physicalName` (live by default, the
 * shadow copy while rebuilding, a temporary copy while the audit replays), and no other table is.
 */
export function projectionContext(
  client: Pick<Client, 'query'> | Pick<PoolClient, 'query'>,
  projection: Projection,
  physicalName: (table: string) => string = (table) => table,
): ProjectionContext {
  return {
    query: (text, params) => client.query(text, params as unknown[]),
    table: (name) => {
      if (!projection.tables.includes(name)) {
        throw new Error(`Projection ${projection.name} does not own table ${name}`);
      }
      return quoteIdentifier(physicalName(name));
    },
  };
}
