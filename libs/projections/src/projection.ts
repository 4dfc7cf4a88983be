/** What a read model must provide to be built from the log by the projection runner. */
import type { RecordedEvent } from '@app/event-store';
import type { Queryable } from '@app/platform';

export interface ProjectionContext extends Queryable {
  /**
   * The physical name of one of the projection's tables, quoted. During a rebuild it names the
   * shadow copy, so that the live table keeps answering reports until the swap.
   */
  table(name: string): string;
}

export interface Projection {
  readonly name: string;
  /** Event types it reads; the runner fetches only these ('all': every event). */
  readonly handles: readonly string[] | 'all';
  /** False for a projection whose state must never be recomputed (the audit hash chain). */
  readonly rebuildable?: boolean;
  /**
   * Applied by the writers themselves, in the transaction of the append (the write model that
   * commands decide on), instead of by the runner after the commit. Each writing transaction holds
   * the projection's pause lock shared (see inlineWriteLock); the runner only moves the checkpoint
   * along the log, and rebuilds it while holding that lock exclusively.
   */
  readonly inline?: boolean;
  /** Tables it owns: emptied and rebuilt by a rebuild. */
  readonly tables: readonly string[];
  /**
   * Applies a batch in log order, inside the transaction that also stores the checkpoint. A property,
   * not a method, so that a function taking only some event types is not accepted in its place.
   */
  readonly apply: (events: readonly RecordedEvent[], context: ProjectionContext) => Promise<void>;
}

export const PROJECTIONS = Symbol('PROJECTIONS');
