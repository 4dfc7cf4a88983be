/**
 * What-if: replays the collections and refunds of a range of business days, each with its attempt's
 * recorded stream (the attempt, its stored attribution, its outcome and refunds), through the domain's
 * attempt decider under draft programs and settings, next to what was decided for real.
 *
 * It writes nothing: everything is read in one REPEATABLE READ, READ ONLY transaction (PostgreSQL
 * refuses any write in it, and the snapshot makes every page agree with the others), in keyset pages
 * of the log, so memory follows the page size and the number of partners and products, never the
 * range. A read-only transaction takes no transaction id, so it does not hold back the log's readers.
 */
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  type PartnerTimeline,
  type Program,
  type RecordedAttemptEvent,
  type Settings,
  type SimulationAmounts,
  SimulationTotals,
  applySimulationSettings,
  compareLogOrder,
  dayRangeToInstants,
  mergePrograms,
  needsRenewalCount,
  parseDraftPrograms,
  recordedRenewalsBefore,
  replayAttempt,
} from '@app/domain';
import { LOG_START, type LogPosition, formatPosition } from '@app/event-store';
import { Database, type Queryable, badRequest } from '@app/platform';
import { definedFields } from '../../configuration/configuration.validation';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { type RunSimulationRequest, checkDraftProgramBodies } from './run-simulation.request';
import { WRITES_NOTHING_NOTE } from './run-simulation.response';
import { SimulationLog, type TriggerPage, type TriggerType } from './simulation-log';

export const SIMULATION_PAGE_SIZE = 1000;

/** One snapshot for every read, and no write possible. */
const SNAPSHOT = { isolation: 'repeatable read', readOnly: true } as const;

export interface SimulationAmountsView {
  commissions: number;
  clawbacks: number;
  net: number;
}

export interface SimulationRowView {
  partnerId: string;
  productId: string;
  actual: SimulationAmountsView;
  simulated: SimulationAmountsView;
  difference: SimulationAmountsView;
}

export interface SimulationResult {
  from: string;
  to: string;
  currency: string;
  position: string;
  actual: SimulationAmountsView;
  simulated: SimulationAmountsView;
  difference: SimulationAmountsView;
  rows: SimulationRowView[];
  replayed: { collections: number; refunds: number; attempts: number; events: number };
  skipped: { otherCurrency: number; inconsistentStream: number };
  applied: {
    settings: Pick<Settings, 'levels' | 'payIfUnused' | 'payout' | 'blockSelfReferrals'>;
    draftProgramIds: string[];
  };
  writesNothing: true;
  note: string;
}

export interface SimulationOptions {
  /** Called after each page with the collections and refunds replayed so far and how many the range holds. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly pageSize?: number;
}

export class RunSimulationQuery extends Query<SimulationResult> {
  constructor(
    readonly request: RunSimulationRequest,
    readonly options: SimulationOptions = {},
  ) {
    super();
  }
}

const view = (amounts: SimulationAmounts): SimulationAmountsView => ({
  commissions: amounts.commissionsMinor,
  clawbacks: amounts.clawbacksMinor,
  net: amounts.netMinor,
});

/** What stays the same for every page of one simulation. */
interface Replay {
  readonly tx: Queryable;
  readonly settings: Settings;
  readonly programsById: ReadonlyMap<string, Program>;
  readonly timeline: PartnerTimeline;
  readonly totals: SimulationTotals;
  readonly counters: {
    collections: number;
    refunds: number;
    attempts: number;
    events: number;
    otherCurrency: number;
    inconsistentStream: number;
  };
}

@QueryHandler(RunSimulationQuery)
export class RunSimulationHandler implements IQueryHandler<RunSimulationQuery> {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly log: SimulationLog,
  ) {}

  async execute({ request, options }: RunSimulationQuery): Promise<SimulationResult> {
    checkDraftProgramBodies(request.programs);
    const drafts = parseDraftPrograms(request.programs);
    if (!drafts.ok) throw badRequest('The draft programs are not valid', drafts.errors);
    const pageSize = options.pageSize ?? SIMULATION_PAGE_SIZE;

    return this.database.transaction(async (tx) => {
      const current = await this.queries.settings(tx);
      const merged = applySimulationSettings(
        current,
        request.settings === undefined ? undefined : definedFields(request.settings),
      );
      if (!merged.ok) throw badRequest('The draft settings are not valid', merged.errors);
      const settings = merged.value;
      const [start, end] = dayRangeToInstants(request.from, request.to, current.timezone);
      const position = await this.log.head(tx);
      const { timeline, events: partnerEvents } = await this.log.partnerTimeline(tx, pageSize);
      const replay: Replay = {
        tx,
        settings,
        programsById: mergePrograms(await this.queries.listPrograms(tx), drafts.value),
        timeline,
        totals: new SimulationTotals(request.partnerIds ? new Set(request.partnerIds) : null),
        counters: {
          collections: 0,
          refunds: 0,
          attempts: 0,
          events: partnerEvents,
          otherCurrency: 0,
          inconsistentStream: 0,
        },
      };

      const total = options.onProgress ? await this.log.countTriggers(tx, start, end) : 0;
      let done = 0;
      options.onProgress?.(0, total);
      // Collections, then refunds, a page at a time; the next page is asked for before this one is
      // replayed, so the database reads it while the domain decides (two pages in memory at most).
      const passes: readonly TriggerType[] = ['PaymentCollected', 'RefundIssued'];
      type Fetched = { pass: number; page: TriggerPage };
      const fetch = (pass: number, after: LogPosition): Promise<Fetched> => {
        const trigger = passes[pass];
        if (trigger === undefined) throw new Error(`the simulation has no pass ${pass}`);
        return this.log.page(tx, trigger, after, start, end, pageSize).then((page) => ({ pass, page }));
      };
      let next: Promise<Fetched> | null = fetch(0, LOG_START);
      try {
        while (next) {
          const { pass, page }: Fetched = await next;
          next = page.full
            ? fetch(pass, page.last)
            : pass + 1 < passes.length
              ? fetch(pass + 1, LOG_START)
              : null;
          if (page.triggers.length === 0) continue;
          await this.replayPage(replay, page);
          done += page.triggers.length;
          options.onProgress?.(done, Math.max(total, done));
        }
      } catch (error) {
        // The page asked for ahead must settle before the transaction ends.
        await next?.catch(() => undefined);
        throw error;
      }

      const summary = replay.totals.summary();
      const { counters } = replay;
      return {
        from: request.from,
        to: request.to,
        currency: settings.currency,
        position: formatPosition(position),
        actual: view(summary.actual),
        simulated: view(summary.simulated),
        difference: view(summary.difference),
        rows: summary.rows.map((row) => ({
          partnerId: row.partnerId,
          productId: row.productId,
          actual: view(row.actual),
          simulated: view(row.simulated),
          difference: view(row.difference),
        })),
        replayed: {
          collections: counters.collections,
          refunds: counters.refunds,
          attempts: counters.attempts,
          events: counters.events,
        },
        skipped: { otherCurrency: counters.otherCurrency, inconsistentStream: counters.inconsistentStream },
        applied: {
          settings: {
            levels: settings.levels,
            payIfUnused: settings.payIfUnused,
            payout: { ...settings.payout },
            blockSelfReferrals: settings.blockSelfReferrals,
          },
          draftProgramIds: [...drafts.value.keys()].sort(),
        },
        writesNothing: true,
        note: WRITES_NOTHING_NOTE,
      };
    }, SNAPSHOT);
  }

  /** Replays the attempts of one page of triggers; only the page's own triggers count. */
  private async replayPage(replay: Replay, page: TriggerPage): Promise<void> {
    const counted = new Set(page.triggers.map((trigger) => trigger.eventId));
    const renewalsBefore = await this.renewalCounts(replay.tx, page.streams);
    const { counters } = replay;
    for (const [attemptId, events] of page.streams) {
      counters.attempts++;
      counters.events += events.length;
      const result = replayAttempt(events, {
        settings: replay.settings,
        programsById: replay.programsById,
        partnersAt: (roots, levels, order) => replay.timeline.chainsAt(roots, levels, order),
        collectedRenewalsBefore: renewalsBefore.get(attemptId) ?? 0,
        counts: ({ eventId }) => counted.has(eventId),
      });
      if (result.skipped === 'other-currency') counters.otherCurrency++;
      if (result.skipped === 'inconsistent-stream') counters.inconsistentStream++;
      counters.collections += result.collections;
      counters.refunds += result.refunds;
      replay.totals.add('actual', result.actual);
      replay.totals.add('simulated', result.simulated);
    }
  }

  /**
   * Collected renewals of the same subscription before each renewal of the page: from its recorded
   * commissions when it has any, else counted in the log (only for renewals that credit a partner).
   */
  private async renewalCounts(
    tx: Queryable,
    streams: ReadonlyMap<string, readonly RecordedAttemptEvent[]>,
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const unknown: { attemptId: string; subscriptionId: string; collectedAt: LogPosition }[] = [];
    for (const [attemptId, events] of streams) {
      if (!needsRenewalCount(events)) continue;
      const recorded = recordedRenewalsBefore(events);
      if (recorded !== null) {
        counts.set(attemptId, recorded);
        continue;
      }
      const attempted = events.find((e) => e.event.type === 'PurchaseAttempted')?.event;
      const collected = events.find((e) => e.event.type === 'PaymentCollected');
      const subscriptionId = attempted?.type === 'PurchaseAttempted' ? attempted.data.subscriptionId : null;
      if (subscriptionId && collected)
        unknown.push({ attemptId, subscriptionId, collectedAt: collected.order });
    }
    if (unknown.length === 0) return counts;
    const collections = await this.log.renewalCollections(tx, [
      ...new Set(unknown.map((u) => u.subscriptionId)),
    ]);
    for (const { attemptId, subscriptionId, collectedAt } of unknown) {
      const before = (collections.get(subscriptionId) ?? []).filter(
        (order) => compareLogOrder(order, collectedAt) < 0,
      );
      counts.set(attemptId, before.length);
    }
    return counts;
  }
}
