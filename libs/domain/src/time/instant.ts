// Instants cross this library's boundary as ISO-8601 UTC strings (what events store);
// functions turn them into epoch milliseconds to compare and add.
export type IsoInstant = string;

export const MS_PER_DAY = 86_400_000;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

export function isIsoInstant(value: string): boolean {
  return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

export function toEpochMs(instant: IsoInstant): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO instant: ${instant}`);
  return ms;
}

/** Normal form used in events: `2026-01-15T10:00:00.000Z`. */
export function toIsoInstant(epochMs: number): IsoInstant {
  return new Date(epochMs).toISOString();
}

export function addDays(instant: IsoInstant, days: number): IsoInstant {
  return toIsoInstant(toEpochMs(instant) + days * MS_PER_DAY);
}
