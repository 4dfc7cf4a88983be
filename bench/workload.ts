/**
 * The deterministic workload: the configuration to create through the admin API, then a year of
 * commerce facts as ingest envelopes in time order (clicks, opt-ins, purchase attempts with their
 * outcomes, refunds and renewals). Generated day by day, so memory stays small at 1M envelopes.
 */
import type { Envelope as ApiEnvelope, Schemas } from '@app/api-client';
import { Random } from './prng';

/** An envelope of POST /v1/events, as the OpenAPI document types it. */
export type Envelope = ApiEnvelope;

export interface Product {
  readonly id: string;
  readonly unitPrice: number;
}

export interface PartnerSpec {
  readonly id: string;
  readonly code: string;
  readonly parentId: string | null;
}

export interface WorkloadShape {
  readonly seed: number;
  /** Envelopes of the batched ingest (the single-event phase adds `singles` clicks on top). */
  readonly envelopes: number;
  readonly singles: number;
  readonly partners: number;
  readonly topPartners: number;
  readonly links: number;
  readonly contacts: number;
  readonly anonymousVisitors: number;
  readonly year: number;
}

/** The full workload is 1M envelopes; `--quick` and `--events` scale every count with it. */
export function shapeFor(envelopes: number, seed: number): WorkloadShape {
  const scale = envelopes / 1_000_000;
  const partners = Math.max(20, Math.round(1000 * scale));
  const contacts = Math.max(500, Math.round(100_000 * scale));
  return {
    seed,
    envelopes,
    singles: Math.max(500, Math.min(3000, Math.round(envelopes / 300))),
    partners,
    topPartners: Math.max(4, Math.round(partners / 10)),
    links: 20,
    contacts,
    anonymousVisitors: contacts * 2,
    year: 2025,
  };
}

export const PROGRAM_ID = 'bench-program';
export const PRODUCTS: readonly Product[] = [
  { id: 'prod-trial', unitPrice: 100 },
  { id: 'prod-basic', unitPrice: 2900 },
  { id: 'prod-premium', unitPrice: 9700 },
  { id: 'prod-annual', unitPrice: 29900 },
  { id: 'prod-addon', unitPrice: 1500 },
];

/** POST /v1/programs body: 20% + 5% on sales by default, a flat rate on the trial. */
export const PROGRAM_BODY = {
  id: PROGRAM_ID,
  name: 'Bench program',
  priority: 0,
  default: { sale: [{ percent: '20' }, { percent: '5' }] },
  products: { 'prod-trial': { sale: [{ flat: 50 }, { flat: 10 }] } },
};

export const linkId = (index: number) => `link-${String(index + 1).padStart(2, '0')}`;

/** Two levels: the first `topPartners` have no parent, every other one has a top partner as parent. */
export function partnerSpecs(shape: WorkloadShape): PartnerSpec[] {
  const specs: PartnerSpec[] = [];
  for (let i = 0; i < shape.partners; i++) {
    const id = `partner-${String(i + 1).padStart(4, '0')}`;
    const parentIndex = i < shape.topPartners ? null : i % shape.topPartners;
    specs.push({
      id,
      code: `P${String(i + 1).padStart(4, '0')}`,
      parentId: parentIndex === null ? null : `partner-${String(parentIndex + 1).padStart(4, '0')}`,
    });
  }
  return specs;
}

const MS_PER_DAY = 86_400_000;

/** Fractions of the envelopes: ~80% clicks, ~8% opt-ins, the rest purchase facts. */
const CLICK_SHARE = 0.8;
const OPT_IN_SHARE = 0.08;
/** Primary attempts per envelope; with outcomes, refunds and renewals they make up ~12%. */
const ATTEMPT_SHARE = 0.056;
const DECLINE_RATE = 0.3;
const PENDING_RATE = 0.02;
const REFUND_RATE = 0.06;
const SUBSCRIPTION_RATE = 0.1;
const EXPLICIT_PARTNER_RATE = 0.03;
const CONTACT_CLICK_RATE = 0.4;

type Draft = Omit<Envelope, 'eventId'>;

interface Item {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

interface Renewing {
  readonly subscriptionId: string;
  readonly contact: number;
  readonly items: readonly Item[];
}

interface Scheduled {
  readonly at: number;
  /** Tie-breaker: keeps equal times in the order they were scheduled. */
  readonly order: number;
  /** Builds the envelopes when their time comes (and schedules their own follow-ups). */
  readonly make: (at: number) => Draft[];
}

/** A binary min-heap on (at, order). */
class Schedule {
  private readonly heap: Scheduled[] = [];

  push(item: Scheduled): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peek(): Scheduled | undefined {
    return this.heap[0];
  }

  pop(): Scheduled | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
    return top;
  }
}

const before = (x: Scheduled, y: Scheduled) => x.at < y.at || (x.at === y.at && x.order < y.order);

export type EnvelopeType = Envelope['type'];

export interface WorkloadCounts {
  envelopes: number;
  byType: Record<EnvelopeType, number>;
}

/** Generates the year of envelopes in time order. Create one per run; it is single-use. */
export class Workload {
  private readonly random: Random;
  private readonly schedule = new Schedule();
  private readonly partners: PartnerSpec[];
  /** Partner indexes ordered by how busy they are (a skewed draw picks from the front more often). */
  private readonly busyOrder: number[];
  private readonly optInContacts: number;
  private optedIn = 0;
  private order = 0;
  private attempts = 0;
  private refunds = 0;
  readonly counts: WorkloadCounts = {
    envelopes: 0,
    byType: {
      LinkClicked: 0,
      ContactOptedIn: 0,
      PurchaseAttempted: 0,
      PaymentCollected: 0,
      PaymentDeclined: 0,
      RefundIssued: 0,
    },
  };

  constructor(readonly shape: WorkloadShape) {
    this.random = new Random(shape.seed);
    this.partners = partnerSpecs(shape);
    this.busyOrder = this.random.shuffle(Array.from({ length: shape.partners }, (_, i) => i));
    this.optInContacts = Math.min(shape.contacts, Math.round(shape.envelopes * OPT_IN_SHARE));
  }

  /** The partner that the skewed draw favours most: the one with the busiest ledger. */
  get busiestPartnerId(): string {
    return this.partners[this.busyOrder[0]!]!.id;
  }

  private yearStart(): number {
    return Date.UTC(this.shape.year, 0, 1);
  }

  private dayCount(): number {
    return Math.round((Date.UTC(this.shape.year + 1, 0, 1) - this.yearStart()) / MS_PER_DAY);
  }

  /** Envelopes in time order, `size` at a time (the last batch may be smaller). */
  *batches(size: number): Generator<Envelope[]> {
    let batch: Envelope[] = [];
    for (const envelope of this.envelopes()) {
      batch.push(envelope);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  *envelopes(): Generator<Envelope> {
    const days = this.dayCount();
    const total = this.shape.envelopes;
    const share = (fraction: number, day: number) =>
      Math.floor((fraction * total * (day + 1)) / days) - Math.floor((fraction * total * day) / days);
    const yearEnd = this.yearStart() + days * MS_PER_DAY;
    for (let day = 0; day < days; day++) {
      const dayStart = this.yearStart() + day * MS_PER_DAY;
      const at = () => dayStart + Math.floor(this.random.next() * MS_PER_DAY);
      for (let i = share(CLICK_SHARE, day); i > 0; i--) this.later(at(), () => [this.click()]);
      for (let i = share(OPT_IN_SHARE, day); i > 0 && this.optedIn < this.optInContacts; i--) {
        const contact = this.optedIn++;
        this.later(at(), () => [this.optIn(contact)]);
      }
      for (let i = share(ATTEMPT_SHARE, day); i > 0; i--) {
        this.later(at(), (time) => this.purchase(time, null));
      }
      const dayEnd = Math.min(dayStart + MS_PER_DAY, yearEnd);
      for (let next = this.schedule.peek(); next && next.at < dayEnd; next = this.schedule.peek()) {
        this.schedule.pop();
        for (const draft of next.make(next.at)) {
          if (this.counts.envelopes >= total) return;
          yield this.emit(draft, next.at);
        }
      }
    }
    // Whatever is due after the year (late refunds and renewals) is left out.
  }

  /** Clicks for the single-event phase, on the last day of the year. Ids never collide with the batches. */
  singles(): Envelope[] {
    const last = this.yearStart() + (this.dayCount() - 1) * MS_PER_DAY;
    const offsets = Array.from({ length: this.shape.singles }, () =>
      Math.floor(this.random.next() * MS_PER_DAY),
    ).sort((x, y) => x - y);
    return offsets.map((offset, index) => ({
      ...this.click(),
      eventId: `single-${index + 1}`,
      occurredAt: new Date(last + offset).toISOString(),
    }));
  }

  private emit(draft: Draft, at: number): Envelope {
    this.counts.envelopes++;
    this.counts.byType[draft.type]++;
    return { eventId: `evt-${this.counts.envelopes}`, ...draft, occurredAt: new Date(at).toISOString() };
  }

  private later(at: number, make: (at: number) => Draft[]): void {
    this.schedule.push({ at, order: this.order++, make });
  }

  private partnerIndex(): number {
    // u^2 skews towards the front of busyOrder: the first partner gets ~1/sqrt(partners) of the draws.
    const u = this.random.next();
    return this.busyOrder[Math.floor(u * u * this.shape.partners)]!;
  }

  private ip(visitor: string): string {
    let hash = 0;
    for (let i = 0; i < visitor.length; i++) hash = (Math.imul(hash, 31) + visitor.charCodeAt(i)) >>> 0;
    return `10.${(hash >>> 16) & 255}.${(hash >>> 8) & 255}.${hash & 255}`;
  }

  private click(): Draft {
    const visitorId = this.random.chance(CONTACT_CLICK_RATE)
      ? `v${this.random.int(0, this.shape.contacts - 1)}`
      : `a${this.random.int(0, this.shape.anonymousVisitors - 1)}`;
    return {
      type: 'LinkClicked',
      occurredAt: '',
      data: {
        partnerId: this.partners[this.partnerIndex()]!.id,
        linkId: linkId(this.random.int(0, this.shape.links - 1)),
        visitorId,
        ip: this.ip(visitorId),
        userAgent: 'Mozilla/5.0 (bench)',
      },
    };
  }

  private optIn(contact: number): Draft {
    return {
      type: 'ContactOptedIn',
      occurredAt: '',
      data: {
        contactId: `c${contact}`,
        visitorId: `v${contact}`,
        email: `c${contact}@example.com`,
        ip: this.ip(`v${contact}`),
      },
    };
  }

  private items(): Item[] {
    return Array.from({ length: this.random.chance(0.2) ? 2 : 1 }, () => {
      const product = this.random.pick(PRODUCTS);
      return {
        productId: product.id,
        quantity: this.random.chance(0.9) ? 1 : this.random.int(2, 3),
        unitPrice: product.unitPrice,
      };
    });
  }

  /** A purchase attempt (order, subscription or renewal) and its scheduled outcome and follow-ups. */
  private purchase(at: number, renewing: Renewing | null): Draft[] {
    const n = ++this.attempts;
    const attemptId = `att-${n}`;
    const subscriptionId =
      renewing?.subscriptionId ?? (this.random.chance(SUBSCRIPTION_RATE) ? `sub-${n}` : null);
    const kind = renewing ? 'renewal' : subscriptionId ? 'subscription' : 'order';
    const contact =
      renewing?.contact ??
      (this.optedIn > 0 && this.random.chance(0.85)
        ? this.random.int(0, this.optedIn - 1)
        : this.random.int(this.optInContacts, Math.max(this.optInContacts, this.shape.contacts - 1)));
    const items = renewing?.items ?? this.items();
    const total = items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
    const data: Schemas['PurchaseAttemptedData'] = {
      attemptId,
      orderId: `order-${n}`,
      contactId: `c${contact}`,
      kind,
      ...(subscriptionId ? { subscriptionId } : {}),
      currency: 'USD',
      email: `c${contact}@example.com`,
      items: [...items],
    };
    if (!renewing) {
      if (this.random.chance(0.9)) {
        data.visitorId = `v${contact}`;
        data.ip = this.ip(`v${contact}`);
      }
      if (this.random.chance(EXPLICIT_PARTNER_RATE))
        data.partnerCode = this.partners[this.partnerIndex()]!.code;
    }

    // The outcome seconds to minutes later; refunds and renewals weeks later.
    const outcomeAt = at + this.random.int(5_000, 180_000);
    const roll = this.random.next();
    if (roll < DECLINE_RATE) {
      this.later(outcomeAt, () => [
        { type: 'PaymentDeclined', occurredAt: '', data: { attemptId, reason: 'card declined' } },
      ]);
    } else if (roll < 1 - PENDING_RATE) {
      this.later(outcomeAt, () => [{ type: 'PaymentCollected', occurredAt: '', data: { attemptId } }]);
      if (this.random.chance(REFUND_RATE)) {
        const amount = this.random.chance(0.5) ? total : Math.max(1, Math.floor(total / 2));
        const refundId = `refund-${++this.refunds}`;
        this.later(outcomeAt + this.random.int(1, 30) * MS_PER_DAY, () => [
          { type: 'RefundIssued', occurredAt: '', data: { refundId, attemptId, amount, currency: 'USD' } },
        ]);
      }
      if (subscriptionId && !renewing) {
        const renewal: Renewing = { subscriptionId, contact, items };
        this.later(at + 30 * MS_PER_DAY, (time) => this.purchase(time, renewal));
      }
    }
    return [{ type: 'PurchaseAttempted', occurredAt: '', data }];
  }
}
