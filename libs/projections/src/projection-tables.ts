/** The physical names of a projection's tables, live or in shadow, and the context that hands them out. */
import type { Client } from 'pg';
import type { Projection, ProjectionContext } from './projection';

export const quoteIdentifier = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/** Where a rebuild writes a table until the swap. */
export const shadowName = (table: string): string => `${table}__rebuild`;

/** Queries on `client`; the projection's own tables are named live, or in shadow while rebuilding. */
export function projectionContext(
  client: Client,
  projection: Projection,
  shadow: boolean,
): ProjectionContext {
  return {
    query: (text, params) => client.query(text, params as unknown[]),
    table: (name) => {
      if (!projection.tables.includes(name)) {
        throw new Error(`Projection ${projection.name} does not own table ${name}`);
      }
      return quoteIdentifier(shadow ? shadowName(name) : name);
    },
  };
}
