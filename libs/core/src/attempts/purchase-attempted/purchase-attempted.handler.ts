/**
 * A purchase attempt (order, new subscription or renewal): resolves and stores who is credited for it,
 * and joins the buyer's visitor clicks to the contact's referral history.
 */
import { Injectable } from '@nestjs/common';
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
import type { Transaction } from '@app/platform';
import type { EnvelopeHandler, IngestContext, IngestEnvelope } from '../../ingest/envelope-handler';
import { contactStream } from '../../tracking/link-clicked/click-events';
import { resolvePartner } from '../../tracking/link-clicked/link-clicked.handler';
import { TrackingQueries } from '../../tracking/tracking.queries';
import type { DomainAppend } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { AttemptStreams, attemptStream, pendingEvents } from '../attempt-stream';

@Injectable()
export class PurchaseAttemptedHandler implements EnvelopeHandler<'PurchaseAttempted'> {
  readonly type = 'PurchaseAttempted' as const;

  constructor(
    private readonly attempts: AttemptStreams,
    private readonly queries: WriteModelQueries,
    private readonly tracking: TrackingQueries,
  ) {}

  async handle(
    envelope: IngestEnvelope<'PurchaseAttempted'>,
    { tx, settings }: IngestContext,
  ): Promise<DomainAppend[]> {
    const { data, occurredAt, eventId } = envelope;
    const explicit = data.partnerCode
      ? await resolvePartner(
          this.queries,
          { partnerCode: data.partnerCode },
          settings.codePrefix,
          tx,
          'partnerCode',
        )
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

    const loaded = await this.attempts.load(data.attemptId, tx);
    const attribution =
      data.kind === 'renewal'
        ? await this.renewalAttribution(data.attemptId, purchase.subscriptionId, tx)
        : await this.attribute(purchase, occurredAt, settings, tx);
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
    if (purchase.visitorId) {
      const clicks = await this.tracking.unjoinedVisitorClicks(purchase.visitorId, tx);
      const partners = await this.queries.partnersByIds([...new Set(clicks.map((c) => c.partnerId))], tx);
      const referrals = referralsFromClicks(data.contactId, clicks, partners, 'purchase', occurredAt);
      if (referrals.length > 0) {
        appends.push({
          streamId: contactStream(data.contactId),
          events: referrals.map((referral, index) => ({
            eventId: `${eventId}/referral/${index}`,
            occurredAt,
            event: domainEvent('ReferralRecorded', referral),
          })),
        });
      }
    }
    return appends;
  }

  private async attribute(
    purchase: {
      attemptId: string;
      contactId: string;
      visitorId: string | null;
      ip: string | null;
      explicitPartnerId: string | null;
    },
    at: string,
    settings: IngestContext['settings'],
    tx: Transaction,
  ): Promise<AttemptAttributedData> {
    const clicks: ClickRecord[] = purchase.visitorId
      ? await this.tracking.visitorClicks(purchase.visitorId, tx)
      : [];
    if (settings.useIpAddress && purchase.ip) {
      const from = toIsoInstant(toEpochMs(at) - settings.ipMatchDays * MS_PER_DAY);
      const seen = new Set(clicks.map((c) => c.clickId));
      for (const click of await this.tracking.ipClicks(purchase.ip, from, at, tx))
        if (!seen.has(click.clickId)) clicks.push(click);
    }
    const history = await this.tracking.referralHistory(purchase.contactId, tx);
    const partnerIds = new Set<string>([
      ...clicks.map((c) => c.partnerId),
      ...history.referrals.map((r) => r.partnerId),
    ]);
    if (purchase.explicitPartnerId) partnerIds.add(purchase.explicitPartnerId);
    const partners = await this.queries.partnersByIds([...partnerIds], tx);
    return attributeAttempt({
      attemptId: purchase.attemptId,
      at,
      explicitPartnerId: purchase.explicitPartnerId,
      visitorId: purchase.visitorId,
      ip: purchase.ip,
      clicks,
      referrals: history.referrals,
      partners,
      settings,
    });
  }

  /** Renewals are credited to the partners the subscription stored when it was created. */
  private async renewalAttribution(
    attemptId: string,
    subscriptionId: string | null,
    tx: Transaction,
  ): Promise<AttemptAttributedData> {
    if (!subscriptionId)
      throw new DomainRuleViolation('invalid-purchase', 'a renewal needs a subscriptionId', 'subscriptionId');
    const { rows } = await tx.query<{ attributed: AttemptAttributedData | null }>(
      `SELECT a.attributed FROM subscriptions s JOIN attempts a ON a.attempt_id = s.attempt_id WHERE s.subscription_id = $1`,
      [subscriptionId],
    );
    return attributeRenewal(attemptId, subscriptionId, rows[0]?.attributed ?? null);
  }
}
