/**
 * Tamper evidence: each event's hash covers its full content and the previous event's hash, in log
 * order. Changing, removing or inserting an event row breaks every hash from there on.
 */
import { type RecordedEvent, canonicalJson, formatPosition, sha256 } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';

export const GENESIS_HASH = '0'.repeat(64);

export function chainHash(previousHash: string, event: RecordedEvent): string {
  return sha256(
    previousHash +
      canonicalJson({
        position: formatPosition(event.position),
        eventId: event.eventId,
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        occurredAt: event.occurredAt,
        recordedAt: event.recordedAt,
      }),
  );
}

export const auditChainProjection: Projection = {
  name: 'audit-chain',
  handles: 'all',
  tables: ['event_hashes'],
  // Recomputing the chain from the current rows would bless whatever was tampered with.
  rebuildable: false,
  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const { rows } = await ctx.query<{ hash: string }>(
      `SELECT hash FROM ${ctx.table('event_hashes')} ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    let previous = rows[0]?.hash ?? GENESIS_HASH;
    const positions: string[] = [];
    const txids: string[] = [];
    const ids: string[] = [];
    const previousHashes: string[] = [];
    const hashes: string[] = [];
    for (const event of events) {
      const hash = chainHash(previous, event);
      positions.push(event.position.sequence.toString());
      txids.push(event.position.transactionId.toString());
      ids.push(event.eventId);
      previousHashes.push(previous);
      hashes.push(hash);
      previous = hash;
    }
    await ctx.query(
      `INSERT INTO ${ctx.table('event_hashes')} (global_position, transaction_id, event_id, previous_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::xid8[], $3::text[], $4::text[], $5::text[])`,
      [positions, txids, ids, previousHashes, hashes],
    );
  },
};
