/**
 * What every report does before it reads: waits for `waitFor` (read-your-writes), then turns the
 * requested local days into the settings timezone's instants and picks up the settlement currency.
 */
import { Injectable } from '@nestjs/common';
import { dayRangeToInstants, type IsoInstant, type LocalDay } from '@app/domain';
import { parsePosition } from '@app/event-store';
import { type Queryable, badRequest, unavailable } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { WriteModelQueries } from '../../write-model/write-model.queries';

/** How long a report waits for `waitFor` before answering 503. */
export const WAIT_FOR_TIMEOUT_MS = 5_000;

export interface ReportWindow {
  readonly from: LocalDay;
  readonly to: LocalDay;
  readonly currency: string;
  readonly timezone: string;
  /** [start, end) of the local days as instants. */
  readonly startInclusive: IsoInstant;
  readonly endExclusive: IsoInstant;
}

@Injectable()
export class ReportWindows {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly queries: WriteModelQueries,
  ) {}

  /** Answers once every projection includes `waitFor`; 503 with Retry-After after the timeout. */
  async waitFor(waitFor: string | undefined): Promise<void> {
    if (waitFor === undefined) return;
    const position = parsePosition(waitFor);
    if (!position)
      throw badRequest('The request is not valid', [{ path: 'waitFor', message: 'must be a position' }]);
    if (!(await this.runner.waitFor(position, WAIT_FOR_TIMEOUT_MS))) {
      throw unavailable(`The reports do not include position ${waitFor} yet; retry shortly`, 1);
    }
  }

  async open(
    request: { from: string; to: string; waitFor?: string | undefined },
    db?: Queryable,
  ): Promise<ReportWindow> {
    await this.waitFor(request.waitFor);
    const settings = await this.queries.settings(db);
    const [startInclusive, endExclusive] = dayRangeToInstants(request.from, request.to, settings.timezone);
    return {
      from: request.from,
      to: request.to,
      currency: settings.currency,
      timezone: settings.timezone,
      startInclusive,
      endExclusive,
    };
  }
}

/**
 * An instant as a PostgreSQL parameter. The end of a range through 9999-12-31 lies in the year 10000,
 * which JavaScript writes `+010000-01-01T…` and PostgreSQL reads only as `10000-01-01T…`.
 */
export function sqlInstant(instant: IsoInstant): string {
  return instant.startsWith('+0') ? instant.slice(2) : instant;
}

/** bigint and numeric columns arrive as strings; report amounts and counts are safe integers. */
export const toCount = (value: string | number | null | undefined): number => Number(value ?? 0);
