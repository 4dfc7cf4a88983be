/**
 * Seeded commerce traffic for the reliability tests: customer journeys (clicks, opt-in, purchase attempts,
 * outcomes, refunds) split into lanes whose events depend only on earlier events of the same lane, with
 * what the service must end up holding for every attempt.
 */

export interface WireEnvelope {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
}

export interface WorkloadPartner {
  readonly id: string;
  readonly parentId: string | null;
}

export interface ExpectedAttempt {
  readonly attemptId: string;
  readonly partnerId: string;
  readonly lines: number;
  readonly total: number;
  readonly outcome: 'collected' | 'declined' | 'pending';
  readonly refunds: { refundId: string; amount: number }[];
  /** The commission ids one collection must produce: L1 per line, L2 per line when there is a parent. */
  readonly commissionIds: string[];
}

export interface Workload {
  readonly lanes: WireEnvelope[][];
  readonly attempts: ReadonlyMap<string, ExpectedAttempt>;
  readonly eventCount: number;
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateWorkload(options: {
  seed: number;
  /** About this many client events in all. */
  events: number;
  lanes: number;
  runId: string;
  partners: readonly WorkloadPartner[];
  linkId: string;
}): Workload {
  const random = seededRandom(options.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const lanes: WireEnvelope[][] = Array.from({ length: options.lanes }, () => []);
  const attempts = new Map<string, ExpectedAttempt>();
  const perLane = Math.ceil(options.events / options.lanes);
  let serial = 0;

  lanes.forEach((lane, laneIndex) => {
    // Each lane has its own clock so that its events are in time order.
    let clock = Date.UTC(2026, 0, 1) + laneIndex * 1000;
    const tick = () => new Date((clock += int(1, 90) * 1000)).toISOString();
    const push = (type: string, data: Record<string, unknown>) =>
      lane.push({ eventId: `${options.runId}.e${++serial}`, type, occurredAt: tick(), data });

    for (let journey = 0; lane.length < perLane; journey++) {
      const key = `${options.runId}.l${laneIndex}.j${journey}`;
      const visitorId = `v.${key}`;
      const contactId = `c.${key}`;
      const partner = pick(options.partners);
      for (let c = int(1, 2); c > 0; c--) {
        push('LinkClicked', { partnerId: partner.id, linkId: options.linkId, visitorId, ip: '198.51.100.7' });
      }
      if (random() < 0.7) push('ContactOptedIn', { contactId, visitorId });
      for (let a = int(1, 2); a > 0; a--) {
        const attemptId = `a.${key}.${a}`;
        const items = Array.from({ length: int(1, 3) }, (_, i) => ({
          productId: `product-${i + 1}`,
          quantity: int(1, 3),
          unitPrice: int(100, 20_000),
        }));
        const total = items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
        const subscription = random() < 0.2;
        push('PurchaseAttempted', {
          attemptId,
          orderId: `o.${key}.${a}`,
          contactId,
          visitorId,
          kind: subscription ? 'subscription' : 'order',
          ...(subscription ? { subscriptionId: `s.${key}.${a}` } : {}),
          currency: 'USD',
          items,
        });
        const roll = random();
        const outcome = roll < 0.65 ? 'collected' : roll < 0.9 ? 'declined' : 'pending';
        if (outcome === 'collected') push('PaymentCollected', { attemptId });
        if (outcome === 'declined') push('PaymentDeclined', { attemptId, reason: 'card declined' });
        const refunds: { refundId: string; amount: number }[] = [];
        if (outcome === 'collected' && random() < 0.35) {
          let left = total;
          for (let r = int(1, 3); r > 0 && left > 0; r--) {
            const amount = r === 1 && random() < 0.5 ? left : int(1, left);
            const refundId = `r.${key}.${a}.${r}`;
            refunds.push({ refundId, amount });
            push('RefundIssued', { refundId, attemptId, amount, currency: 'USD' });
            left -= amount;
          }
        }
        const commissionIds = items.flatMap((_, line) => [
          `${attemptId}:sale:L1:${line}`,
          ...(partner.parentId ? [`${attemptId}:sale:L2:${line}`] : []),
        ]);
        attempts.set(attemptId, {
          attemptId,
          partnerId: partner.id,
          lines: items.length,
          total,
          outcome,
          refunds,
          commissionIds,
        });
      }
    }
  });
  return { lanes, attempts, eventCount: lanes.reduce((n, lane) => n + lane.length, 0) };
}
