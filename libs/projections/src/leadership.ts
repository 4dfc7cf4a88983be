/**
 * Who runs a projection: one process at a time, the one holding its lease (a session-level advisory
 * lock on a dedicated connection, logged in lease_acquisitions). The others stand by and take over
 * when that connection goes away.
 */
import { Client } from 'pg';
import { tryAcquireLease } from '@app/platform';

/** The lease (advisory lock and lease_acquisitions name) of a projection. */
export function projectionLease(name: string): string {
  return `projection:${name}`;
}

export class ProjectionLeadership {
  constructor(
    private readonly databaseUrl: string,
    /** Who this process is in lease_acquisitions. */
    private readonly holder: string,
  ) {}

  /**
   * A connection of its own that holds the projection's lease, or null when another process holds
   * it. The lease lasts as long as the connection: end it to give the lease up.
   */
  async tryLead(projection: string): Promise<Client | null> {
    // Named, so that its transactions can be told apart in pg_stat_activity.
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: `projection:${projection}`,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if (await tryAcquireLease(client, projectionLease(projection), this.holder)) return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    await client.end().catch(() => undefined);
    return null;
  }
}
