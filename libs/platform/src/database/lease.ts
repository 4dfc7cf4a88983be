/**
 * Leases that hold across processes: a session-level advisory lock taken on a dedicated connection.
 * Whoever holds the connection holds the lease; when the process dies, PostgreSQL ends the session and
 * the lease is free for the next one. Every acquisition is logged in lease_acquisitions.
 */
import { hostname } from 'node:os';
import type { Client } from 'pg';
import type { Queryable } from './database';

/** This process, as it appears in lease_acquisitions: role, host and pid. */
export function processIdentity(role: string): string {
  return `${role}@${hostname()}:${process.pid}`;
}

/**
 * Tries to take `lease` on `client` (a connection of its own, kept open while the lease is held);
 * true when taken, and then logged with `holder`.
 */
export async function tryAcquireLease(client: Client, lease: string, holder: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
    [lease],
  );
  if (!rows[0]?.locked) return false;
  await client.query('INSERT INTO lease_acquisitions (lease, holder) VALUES ($1, $2)', [lease, holder]);
  return true;
}

/** The last holder of each lease (which may have lost it since, if it died). */
export async function lastHolders(
  db: Queryable,
  leases: readonly string[],
): Promise<Map<string, { holder: string; acquiredAt: Date }>> {
  const { rows } = await db.query<{ lease: string; holder: string; acquired_at: Date }>(
    `SELECT DISTINCT ON (lease) lease, holder, acquired_at FROM lease_acquisitions
      WHERE lease = ANY($1) ORDER BY lease, id DESC`,
    [leases],
  );
  return new Map(rows.map((r) => [r.lease, { holder: r.holder, acquiredAt: r.acquired_at }]));
}
