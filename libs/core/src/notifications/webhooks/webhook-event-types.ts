/**
 * Which log events become which webhook events, and what their `data` holds: the one table to read (and
 * to extend when the log gains an event type). `data` carries the fact's ids and amounts, never a
 * secret. `null` = this occurrence is not a webhook event (e.g. a partner change that is no approval).
 */
import type { DomainEvent, DomainEventType, EventOfType, Partner, PartnerStatus } from '@app/domain';
import { batchLines } from '../../payouts/batch.views';

export const WEBHOOK_EVENT_TYPES = [
  'commission.earned',
  'commission.clawed_back',
  'attempt.declined',
  'lead.referred',
  'partner.enrolled',
  'partner.approved',
  'payment.recorded',
  'payout.batch.created',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a mapping may need beyond the event itself (looked up by the projection, as of the event). */
export interface MappingContext {
  /** PartnerChanged: the partner's status before this change. */
  readonly previousStatus: PartnerStatus | null;
  /** PaymentDeclined: the sale partner decided when the attempt was recorded. */
  readonly salePartnerId: string | null;
}

export interface WebhookEvent {
  readonly type: WebhookEventType;
  readonly data: Record<string, unknown>;
}

/** Enrolled by an admin or signed up: the same webhook event. */
function partnerEnrolled(p: Partner): WebhookEvent {
  return {
    type: 'partner.enrolled',
    data: {
      partnerId: p.id,
      code: p.code,
      name: p.name,
      email: p.email,
      status: p.status,
      parentId: p.parentId,
      programIds: p.programIds,
    },
  };
}

type Mapping<T extends DomainEventType> = (
  event: EventOfType<T>,
  context: MappingContext,
) => WebhookEvent | null;

/**
 * The mapping. A partner is `partner.enrolled` when an admin enrols it or it signs up, and
 * `partner.approved` when a pending sign-up is approved or a PartnerChanged makes it active again.
 */
const WEBHOOK_MAPPINGS = {
  CommissionEarned: ({ data: c }) => ({
    type: 'commission.earned',
    data: {
      commissionId: c.commissionId,
      partnerId: c.partnerId,
      attemptId: c.attemptId,
      productId: c.productId,
      role: c.role,
      level: c.level,
      unused: c.unused,
      amount: c.amountMinor,
      currency: c.currency,
      programId: c.programId,
      renewalNumber: c.renewalNumber,
    },
  }),
  CommissionClawedBack: ({ data: c }) => ({
    type: 'commission.clawed_back',
    data: {
      commissionId: c.commissionId,
      partnerId: c.partnerId,
      attemptId: c.attemptId,
      productId: c.productId,
      refundId: c.refundId,
      amount: c.amountMinor,
      clawedBackTotal: c.clawedBackTotalMinor,
      currency: c.currency,
    },
  }),
  PaymentDeclined: ({ data }, { salePartnerId }) => ({
    type: 'attempt.declined',
    data: { attemptId: data.attemptId, partnerId: salePartnerId, reason: data.reason },
  }),
  ReferralRecorded: ({ data: r }) => ({
    type: 'lead.referred',
    data: {
      contactId: r.contactId,
      partnerId: r.partnerId,
      source: r.source,
      setAt: r.setAt,
      expiresAt: r.expiresAt,
      clickId: r.clickId,
    },
  }),
  PartnerEnrolled: ({ data }) => partnerEnrolled(data.partner),
  PartnerSignedUp: ({ data }) => partnerEnrolled(data.partner),
  PartnerApproved: ({ data }, { previousStatus }) => ({
    type: 'partner.approved',
    data: { partnerId: data.partnerId, previousStatus: previousStatus ?? 'pending', status: 'active' },
  }),
  PartnerChanged: ({ data }, { previousStatus }) =>
    data.changes.status === 'active' && previousStatus !== null && previousStatus !== 'active'
      ? {
          type: 'partner.approved',
          data: { partnerId: data.partnerId, previousStatus, status: 'active' },
        }
      : null,
  PartnerPaid: ({ data: p }) => ({
    type: 'payment.recorded',
    data: {
      paymentId: p.paymentId,
      partnerId: p.partnerId,
      amount: p.amountMinor,
      currency: p.currency,
      paymentType: p.paymentType,
      paidAt: p.paidAt,
      batchId: p.batchId,
      note: p.note,
    },
  }),
  PayoutBatchCreated: ({ data: b }) => ({
    type: 'payout.batch.created',
    data: {
      batchId: b.batchId,
      method: b.method,
      paidAt: b.paidAt,
      paymentType: b.paymentType,
      total: b.totalMinor,
      currency: b.currency,
      ...batchLines(b),
    },
  }),
} satisfies { readonly [T in DomainEventType]?: Mapping<T> };

/** The log event types that can become webhook events. */
export type WebhookSourceType = keyof typeof WEBHOOK_MAPPINGS;
export const WEBHOOK_SOURCE_TYPES = Object.keys(WEBHOOK_MAPPINGS) as WebhookSourceType[];

export function toWebhookEvent(event: DomainEvent, context: MappingContext): WebhookEvent | null {
  const mappings: { readonly [T in DomainEventType]?: Mapping<T> } = WEBHOOK_MAPPINGS;
  const mapping = mappings[event.type] as Mapping<typeof event.type> | undefined;
  return mapping ? mapping(event, context) : null;
}
