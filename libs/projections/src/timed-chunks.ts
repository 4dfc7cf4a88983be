/**
 * Splits a page of events into chunks, each applied in its own transaction sized to take about a
 * quarter of a time budget, from the measured cost per event (so that no transaction of a projection,
 * live, rebuilding or replayed by verify, stays open long whatever the page size).
 */
import type { RecordedEvent } from '@app/event-store';

/** Measured per projection: apply cost (EWMA, ms per event) and transaction durations. */
export interface ApplyTiming {
  msPerEvent: number | null;
  longest: number | null;
  last: number | null;
}

export function freshTiming(): ApplyTiming {
  return { msPerEvent: null, longest: null, last: null };
}

/** Events of the first chunk, when nothing is measured yet. */
const FIRST_CHUNK = 10;

/**
 * Applies `events` in consecutive chunks; `applyChunk` runs one transaction and answers how long it
 * took (ms); `final` is true for the last chunk of the page. Each chunk aims at a quarter of
 * `maxTransactionMs` and grows at most twofold over the previous one: costs vary by event type and load.
 */
export async function applyInTimedChunks(
  events: readonly RecordedEvent[],
  budget: { readonly maxTransactionMs: number; readonly timing: ApplyTiming },
  applyChunk: (chunk: readonly RecordedEvent[], final: boolean) => Promise<number>,
): Promise<void> {
  const { timing } = budget;
  const target = budget.maxTransactionMs / 4;
  let offset = 0;
  let previous = 0;
  do {
    const fits =
      timing.msPerEvent === null ? FIRST_CHUNK : Math.floor(target / Math.max(timing.msPerEvent, 0.001));
    const size = Math.max(1, Math.min(events.length - offset, fits, previous > 0 ? previous * 2 : fits));
    previous = size;
    const chunk = events.slice(offset, offset + size);
    offset += chunk.length;
    const ms = await applyChunk(chunk, offset >= events.length);
    record(timing, chunk.length, ms);
  } while (offset < events.length);
}

function record(timing: ApplyTiming, events: number, ms: number): void {
  timing.last = ms;
  timing.longest = Math.max(timing.longest ?? 0, ms);
  if (events === 0) return;
  const perEvent = ms / events;
  // Slower at once (the next chunk shrinks right away), faster gradually.
  timing.msPerEvent =
    timing.msPerEvent === null || perEvent > timing.msPerEvent
      ? perEvent
      : 0.7 * timing.msPerEvent + 0.3 * perEvent;
}
