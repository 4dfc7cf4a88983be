/**
 * A projection of domain events, typed by the event types it lists: its `apply` receives events of
 * exactly those types, so a `switch (event.type)` narrows each event's data, a case the list lacks
 * does not compile, and a listed type the switch lacks fails lint (switch-exhaustiveness-check).
 * The list is also what the runner reads from the log (`handles`): the two cannot drift apart.
 */
import type { DomainEventDataMap, DomainEventType } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';

/** A log event of one of the types `T`, with its type and data as the domain declares them. */
export type DomainRecordedEvent<T extends DomainEventType = DomainEventType> = {
  [K in T]: Omit<RecordedEvent, 'type' | 'data'> & { readonly type: K; readonly data: DomainEventDataMap[K] };
}[T];

export interface DomainProjection<T extends DomainEventType> {
  readonly name: string;
  /** The event types it applies; the runner reads only these from the log. */
  readonly handles: readonly T[];
  /** Applied by the writers in the transaction of the append (see Projection.inline). */
  readonly inline?: boolean;
  /** Tables it owns: emptied and rebuilt by a rebuild. */
  readonly tables: readonly string[];
  /** Applies a batch in log order, inside the transaction that also stores the checkpoint. */
  apply(events: readonly DomainRecordedEvent<T>[], context: ProjectionContext): Promise<void>;
}

/** The projection the runner runs: it reads the listed types and hands the typed events over. */
export function domainProjection<const T extends DomainEventType>(
  projection: DomainProjection<T>,
): Projection {
  const handled = new Set<string>(projection.handles);
  return {
    name: projection.name,
    handles: [...handled],
    ...(projection.inline ? { inline: true } : {}),
    tables: projection.tables,
    apply: (events, context) =>
      // The runner reads only the listed types; the filter keeps a caller's mixed page to them too.
      projection.apply(
        events.filter((event) => handled.has(event.type)) as DomainRecordedEvent<T>[],
        context,
      ),
  };
}
