import { Command } from '@nestjs/cqrs';
import type { TrackingUrl } from './click-targets';

/** Who followed the link, as the request tells: nothing of it is trusted beyond its format. */
export interface Visit {
  /** The visitor id of the browser's cookie, if it sent one. */
  readonly presentedVisitorId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | undefined;
}

export interface RedirectAnswer {
  /** The link's destination with affiliate=<partnerId>. */
  readonly destination: string;
  /** The visitor cookie to set, when the click was recorded. */
  readonly visitor: { readonly id: string; readonly cookieDays: number } | null;
}

/**
 * A tracking link followed: with a visit, the click is recorded (group-committed with the concurrent
 * ingest calls) before the answer; without one (HEAD: link checkers, previews) nothing is recorded.
 */
export class RedirectCommand extends Command<RedirectAnswer> {
  constructor(
    readonly url: TrackingUrl,
    readonly visit: Visit | null,
  ) {
    super();
  }
}
