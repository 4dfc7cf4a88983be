import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, comparePositions, parsePosition } from '@app/event-store';
import { unavailable } from '@app/platform';
import { ProjectionRunner } from '@app/projections';
import { WAIT_FOR_TIMEOUT_MS } from '../../reports/shared/report-window';
import { PayoutDueQuery } from './payout-due.query';
import { type DueReport, PayoutSchedule } from './payout-schedule';

@QueryHandler(PayoutDueQuery)
export class PayoutDueHandler implements IQueryHandler<PayoutDueQuery> {
  constructor(
    private readonly schedule: PayoutSchedule,
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ payDate, waitFor }: PayoutDueQuery): Promise<DueReport> {
    // Like a batch, the schedule includes every event acknowledged before the request; `waitFor` is
    // accepted as on every report (a position answered by a write is acknowledged, so it is included
    // too) and waited for all the same: 503 with Retry-After after 5 s.
    const head = await this.store.committedHead();
    const wanted = waitFor === undefined ? null : parsePosition(waitFor);
    const target = wanted && comparePositions(wanted, head) > 0 ? wanted : head;
    if (!(await this.runner.waitFor(target, WAIT_FOR_TIMEOUT_MS, ['ledger']))) {
      throw unavailable('The ledger is catching up with recent events; retry shortly', 1);
    }
    return this.schedule.due(payDate);
  }
}
