// Partners as they were at any point of the log, folded from PartnerEnrolled and PartnerChanged: a
// replayed collection sees the status, parents, programs and email in force when it was collected.
import type { CommissionPartner } from '../commissions/commission-calculator';
import type { EventOfType } from '../events/domain-events';
import type { Partner } from '../partners/partner';
import { applyPartnerChanges } from '../partners/partner';

/** A place in the log, compared as (transactionId, sequence): the event store's LogPosition fits it. */
export type LogOrder = { readonly transactionId: bigint; readonly sequence: bigint };

export function compareLogOrder(a: LogOrder, b: LogOrder): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.sequence !== b.sequence) return a.sequence < b.sequence ? -1 : 1;
  return 0;
}

export type PartnerEvent = EventOfType<'PartnerEnrolled'> | EventOfType<'PartnerChanged'>;

type Version = { readonly order: LogOrder; readonly partner: Partner };

export class PartnerTimeline {
  private readonly versions = new Map<string, Version[]>();
  private last: LogOrder | null = null;

  /** Events must come in log order. */
  apply(event: PartnerEvent, order: LogOrder): void {
    if (this.last && compareLogOrder(order, this.last) < 0) {
      throw new RangeError('partner events must be applied in log order');
    }
    this.last = order;
    if (event.type === 'PartnerEnrolled') {
      const partner = event.data.partner;
      this.push(partner.id, { order, partner: { ...partner, programIds: [...partner.programIds] } });
      return;
    }
    const history = this.versions.get(event.data.partnerId);
    const current = history?.[history.length - 1];
    if (!current) return; // a change of a partner never enrolled cannot be applied
    this.push(event.data.partnerId, {
      order,
      partner: applyPartnerChanges(current.partner, event.data.changes),
    });
  }

  /** The partner as of just before `order` (its events at or after `order` do not count yet). */
  at(partnerId: string, order: LogOrder): Partner | undefined {
    const history = this.versions.get(partnerId);
    if (!history) return undefined;
    // The last version strictly before `order`: binary search over the versions in log order. Every
    // version the search moves past is before `order`, and each one lies after the previous one.
    let before: Version | undefined;
    let low = 0;
    let high = history.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const version = history[middle];
      if (version !== undefined && compareLogOrder(version.order, order) < 0) {
        before = version;
        low = middle + 1;
      } else high = middle;
    }
    return before?.partner;
  }

  /**
   * The partners decideCommissions needs for these credited partners as of `order`: each one and its
   * ancestors up to `levels` (what the collection handler reads from the write model at that moment).
   */
  chainsAt(rootIds: readonly string[], levels: number, order: LogOrder): Map<string, CommissionPartner> {
    const partners = new Map<string, CommissionPartner>();
    for (const root of rootIds) {
      let next: string | null = root;
      for (let depth = 0; next !== null && depth < levels; depth++) {
        const partner = this.at(next, order);
        if (!partner) break;
        partners.set(partner.id, partner);
        next = partner.parentId;
      }
    }
    return partners;
  }

  get partnerCount(): number {
    return this.versions.size;
  }

  private push(partnerId: string, version: Version): void {
    const history = this.versions.get(partnerId);
    if (history) history.push(version);
    else this.versions.set(partnerId, [version]);
  }
}
