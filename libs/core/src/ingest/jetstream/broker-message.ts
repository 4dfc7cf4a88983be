/**
 * What the JetStream consumer makes of a message, and what it publishes to the dead-letter subject.
 * A message is one envelope, the same JSON as one item of POST /v1/events `events`.
 */
import { type ProblemDocument, badRequest } from '@app/platform';

export interface DeadLetter {
  /** Why it was not stored: the envelope's problem document (400 malformed, 409, 422, 500). */
  readonly problem: ProblemDocument;
  /** The message as JSON when it parsed, else null (see `message`). */
  readonly envelope: unknown;
  /** The message text when it was not JSON. */
  readonly message?: string;
  readonly source: {
    readonly stream: string;
    readonly subject: string;
    readonly sequence: number;
    readonly deliveryCount: number;
  };
  readonly deadLetteredAt: string;
}

const MAX_TEXT_IN_DEAD_LETTER = 10_000;

/** The message's JSON, or the 400 problem of a message that is not JSON text. */
export function parseMessage(
  data: Uint8Array,
): { json: unknown } | { problem: ProblemDocument; text: string } {
  const text = Buffer.from(data).toString('utf8');
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return {
      problem: badRequest('The message is not a JSON envelope; nothing was stored', [
        { path: '(message)', message: 'must be one JSON envelope: {eventId, type, occurredAt, data}' },
      ]).toProblem(),
      text: text.slice(0, MAX_TEXT_IN_DEAD_LETTER),
    };
  }
}
