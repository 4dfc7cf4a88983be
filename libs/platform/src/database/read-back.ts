/**
 * A row read back in the transaction that has just written it: it cannot be missing, so its absence is a
 * defect (an Error, answered as a 500), never bad input.
 */
export function readBack<T>(row: T | null | undefined, what: string): T {
  if (row === null || row === undefined) throw new Error(`${what} is missing right after it was written`);
  return row;
}
