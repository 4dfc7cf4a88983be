/**
 * A place in the log. Events are ordered by the writing transaction's id, then by their sequence
 * number; clients see it as an opaque string such as "812-4711".
 */
export interface LogPosition {
  readonly transactionId: bigint;
  readonly sequence: bigint;
}

export const LOG_START: LogPosition = { transactionId: 0n, sequence: 0n };

const FORMAT = /^(\d{1,19})-(\d{1,19})$/;

export function formatPosition(position: LogPosition): string {
  return `${position.transactionId}-${position.sequence}`;
}

/** Parses a position string; null when it is not one. */
export function parsePosition(text: string): LogPosition | null {
  const match = FORMAT.exec(text);
  if (!match?.[1] || !match[2]) return null;
  return { transactionId: BigInt(match[1]), sequence: BigInt(match[2]) };
}

export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.sequence !== b.sequence) return a.sequence < b.sequence ? -1 : 1;
  return 0;
}

export function maxPosition(a: LogPosition, b: LogPosition): LogPosition {
  return comparePositions(a, b) >= 0 ? a : b;
}
