/**
 * A purchase attempt (order, new subscription or renewal): resolves and stores who is credited for it,
 * and joins the buyer's visitor clicks to the contact's referral history.
 */
import {
  type AttemptAttributedData,
  type ClickRecord,
  DomainRuleViolation,
  MS_PER_DAY,
  attributeAttempt,
  attributeRenewal,
  decidePurchase,
  domainEvent,
  referralsFromClicks,
  toEpochMs,
  toIsoInstant,
} from '@app/domain';
import type { IngestEnvelope, IngestSlice } from '../../ingest/ingest-slice';
import { contactStream } from '../../tracking/link-clicked/click-events';
import type { DecisionState } from '../../write-model/decision-state';
import type { DomainAppend } from '../../write-model/event-writer';
import { attemptStream, pendingEvents } from '../attempt-stream';

export const purchaseAttemptedSlice: IngestSlice<'PurchaseAttempted'> = {
  type: 'PurchaseAttempted',
  recordsMoney: true,
  needs({ data, occurredAt }, needs) {
    needs.attempts.add(data.attemptId);
    if (data.partnerCode) needs.partner({ partnerCode: data.partnerCode });
    if (data.kind === 'renewal') {
      if (data.subscriptionId) needs.subscriptions.add(data.subscriptionId);
    } else {
      needs.contacts.add(data.contactId);
      if (needs.settings.useIpAddress && data.ip) {
        const from = toIsoInstant(toEpochMs(occurredAt) - needs.settings.ipMatchDays * MS_PER_DAY);
        needs.ipWindows.push({ ip: data.ip, from, to: occurredAt });
      }
    }
    if (data.visitorId) {
      needs.visitors.add(data.visitorId);
      needs.clickVisitors.add(data.visitorId);
    }
  },
  decide(envelope, state) {
    const { data, occurredAt, eventId } = envelope;
    const { settings } = state;
    const explicit = data.partnerCode
      ? state.partner({ partnerCode: data.partnerCode }, 'partnerCode')
      : null;
    const purchase = {
      attemptId: data.attemptId,
      orderId: data.orderId,
      contactId: data.contactId,
      kind: data.kind,
      subscriptionId: data.subscriptionId ?? null,
      visitorId: data.visitorId ?? null,
      partnerCode: data.partnerCode ?? null,
      explicitPartnerId: explicit?.id ?? null,
      ip: data.ip ?? null,
      email: data.email ?? null,
      currency: data.currency,
      items: data.items.map((item) => ({
        productId: item.productId,
        quantity: item.quantity,
        unitPriceMinor: item.unitPrice,
      })),
    };

    const loaded = state.attempt(data.attemptId);
    const attribution =
      data.kind === 'renewal'
        ? renewalAttribution(data.attemptId, purchase.subscriptionId, state)
        : attribute(purchase, occurredAt, state);
    const decided = decidePurchase(loaded.state, {
      purchase,
      attribution,
      settingsCurrency: settings.currency,
    });
    if (decided.length === 0) return [];

    const appends: DomainAppend[] = [
      {
        streamId: attemptStream(data.attemptId),
        expectedVersion: loaded.expectedVersion,
        events: pendingEvents(eventId, occurredAt, decided),
      },
    ];
    // The buyer's clicks join the contact's referral history, as with an opt-in.
    if (purchase.visitorId) appends.push(...joinedReferrals(envelope, purchase.visitorId, state));
    return appends;
  },
};

function joinedReferrals(
  { data, occurredAt, eventId }: IngestEnvelope<'PurchaseAttempted'>,
  visitorId: string,
  state: DecisionState,
): DomainAppend[] {
  const clicks = state.unjoinedVisitorClicks(visitorId);
  const partners = state.partnersByIds(new Set(clicks.map((c) => c.partnerId)));
  const referrals = referralsFromClicks(data.contactId, clicks, partners, 'purchase', occurredAt);
  if (referrals.length === 0) return [];
  return [
    {
      streamId: contactStream(data.contactId),
      events: referrals.map((referral, index) => ({
        eventId: `${eventId}/referral/${index}`,
        occurredAt,
        event: domainEvent('ReferralRecorded', referral),
      })),
    },
  ];
}

function attribute(
  purchase: {
    attemptId: string;
    contactId: string;
    visitorId: string | null;
    ip: string | null;
    explicitPartnerId: string | null;
  },
  at: string,
  state: DecisionState,
): AttemptAttributedData {
  const { settings } = state;
  const clicks: ClickRecord[] = purchase.visitorId ? state.visitorClicks(purchase.visitorId) : [];
  if (settings.useIpAddress && purchase.ip) {
    const from = toIsoInstant(toEpochMs(at) - settings.ipMatchDays * MS_PER_DAY);
    const seen = new Set(clicks.map((c) => c.clickId));
    for (const click of state.ipClicks(purchase.ip, from, at))
      if (!seen.has(click.clickId)) clicks.push(click);
  }
  const history = state.referralHistory(purchase.contactId);
  const partnerIds = new Set<string>([
    ...clicks.map((c) => c.partnerId),
    ...history.referrals.map((r) => r.partnerId),
  ]);
  if (purchase.explicitPartnerId) partnerIds.add(purchase.explicitPartnerId);
  return attributeAttempt({
    attemptId: purchase.attemptId,
    at,
    explicitPartnerId: purchase.explicitPartnerId,
    visitorId: purchase.visitorId,
    ip: purchase.ip,
    clicks,
    referrals: history.referrals,
    partners: state.partnersByIds(partnerIds),
    settings,
  });
}

/** Renewals are credited to the partners the subscription stored when it was created. */
function renewalAttribution(
  attemptId: string,
  subscriptionId: string | null,
  state: DecisionState,
): AttemptAttributedData {
  if (!subscriptionId)
    throw new DomainRuleViolation('invalid-purchase', 'a renewal needs a subscriptionId', 'subscriptionId');
  return attributeRenewal(attemptId, subscriptionId, state.subscription(subscriptionId)?.attributed ?? null);
}
