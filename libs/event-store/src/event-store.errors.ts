export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: number | null,
  ) {
    super(`Stream ${streamId}: expected version ${expected}, found ${actual ?? 'no stream'}`);
    this.name = 'ConcurrencyError';
  }
}

/** An event id that is already stored with other content. */
export class EventIdConflictError extends Error {
  constructor(readonly eventId: string) {
    super(`Event id ${eventId} is already used by another event`);
    this.name = 'EventIdConflictError';
  }
}
