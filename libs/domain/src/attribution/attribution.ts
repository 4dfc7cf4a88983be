// Who is credited for a purchase attempt (domain.md section 7), and the contact's referral history.
import type {
  AttemptAttributedData,
  AttributionExplanation,
  ReferralRecordedData,
  ReferralSource,
} from '../events/domain-events';
import type { Partner } from '../partners/partner';
import { isActive } from '../partners/partner';
import type { AttributionRule, Settings } from '../settings/settings';
import type { IsoInstant } from '../time/instant';
import { LAST_INSTANT_MS, MS_PER_DAY, toEpochMs, toIsoInstant } from '../time/instant';

export type ClickRecord = {
  clickId: string;
  partnerId: string;
  linkId: string;
  visitorId: string;
  ip: string | null;
  occurredAt: IsoInstant;
  creditable: boolean;
};

/** One referral-history record of a contact (the contact is implied by the history it belongs to). */
export type ReferralRecord = Omit<ReferralRecordedData, 'contactId'>;

export type AttributionPartner = Pick<Partner, 'id' | 'status' | 'leadCookieDays'>;

export type AttributionSettings = Pick<
  Settings,
  'attribution' | 'trackingMethod' | 'useIpAddress' | 'ipMatchDays'
>;

export type CreditedPartner = { partnerId: string; explanation: AttributionExplanation };

export type SaleAttributionInput = {
  /** When the attempt happened; clicks and referrals after it are ignored. */
  at: IsoInstant;
  explicitPartnerId: string | null;
  visitorId: string | null;
  ip: string | null;
  /** Candidate clicks: the visitor's and those from the attempt's IP. Others are filtered out here. */
  clicks: readonly ClickRecord[];
  /** The contact's referral history. */
  referrals: readonly ReferralRecord[];
  partners: ReadonlyMap<string, AttributionPartner>;
  settings: AttributionSettings;
};

export type LeadAttributionInput = {
  at: IsoInstant;
  referrals: readonly ReferralRecord[];
  partners: ReadonlyMap<string, AttributionPartner>;
  settings: Pick<Settings, 'attribution' | 'trackingMethod'>;
};

/**
 * When a click stops being creditable: its partner's leadCookieDays after the click; null = never (also
 * when that moment is past the end of the calendar, 9999-12-31: nothing can happen after it).
 */
export function clickExpiresAt(
  click: Pick<ClickRecord, 'occurredAt'>,
  partner: AttributionPartner,
): IsoInstant | null {
  if (partner.leadCookieDays === null) return null;
  const expiresMs = toEpochMs(click.occurredAt) + partner.leadCookieDays * MS_PER_DAY;
  return expiresMs > LAST_INSTANT_MS ? null : toIsoInstant(expiresMs);
}

/**
 * Sale partner: the first of explicit partner, cookie, referral history (history-and-cookies only) and
 * IP match (useIpAddress only) that yields an active partner. Expired clicks or referrals and inactive
 * partners are never credited; an inactive explicit partner falls through to the cookie.
 */
export function resolveSalePartner(input: SaleAttributionInput): CreditedPartner | null {
  const { settings, partners } = input;
  const atMs = toEpochMs(input.at);
  const base = { rule: settings.attribution, trackingMethod: settings.trackingMethod };

  if (input.explicitPartnerId !== null && isActive(partners.get(input.explicitPartnerId))) {
    return { partnerId: input.explicitPartnerId, explanation: { method: 'explicit', ...base } };
  }

  const live = input.clicks.filter((click) => isClickCreditableAt(click, partners, atMs));
  if (input.visitorId !== null) {
    const click = pick(
      live.filter((candidate) => candidate.visitorId === input.visitorId),
      (candidate) => toEpochMs(candidate.occurredAt),
      settings.attribution,
    );
    if (click) return { partnerId: click.partnerId, explanation: clickExplanation('cookie', click, base) };
  }

  if (settings.trackingMethod === 'history-and-cookies') {
    const credited = fromHistory(input.referrals, partners, atMs, base);
    if (credited) return credited;
  }

  if (settings.useIpAddress && input.ip !== null) {
    const windowStartMs = atMs - settings.ipMatchDays * MS_PER_DAY;
    const click = pick(
      live.filter(
        (candidate) => candidate.ip === input.ip && toEpochMs(candidate.occurredAt) >= windowStartMs,
      ),
      (candidate) => toEpochMs(candidate.occurredAt),
      settings.attribution,
    );
    if (click) return { partnerId: click.partnerId, explanation: clickExplanation('ip', click, base) };
  }
  return null;
}

/** Lead partner: the contact's unexpired referral history, first or last (whatever the tracking method). */
export function resolveLeadPartner(input: LeadAttributionInput): CreditedPartner | null {
  const base = { rule: input.settings.attribution, trackingMethod: input.settings.trackingMethod };
  return fromHistory(input.referrals, input.partners, toEpochMs(input.at), base);
}

export type AttributeAttemptInput = Omit<SaleAttributionInput, 'settings'> & {
  attemptId: string;
  settings: AttributionSettings & Pick<Settings, 'payout'>;
};

/**
 * The AttemptAttributed decision for an order or a new subscription. The lead partner is resolved only
 * when lead commissions are paid (payout.lead) at attempt time, as section 7 says.
 */
export function attributeAttempt(input: AttributeAttemptInput): AttemptAttributedData {
  const sale = resolveSalePartner(input);
  const lead = input.settings.payout.lead ? resolveLeadPartner(input) : null;
  return {
    attemptId: input.attemptId,
    salePartnerId: sale?.partnerId ?? null,
    leadPartnerId: lead?.partnerId ?? null,
    saleAttribution: sale?.explanation ?? null,
    leadAttribution: lead?.explanation ?? null,
    renewalOf: null,
  };
}

/**
 * A renewal is credited to the partners stored on the subscription when it was created: the decision
 * of the attempt that created it, explanations included. No creating attempt known = nobody.
 */
export function attributeRenewal(
  attemptId: string,
  subscriptionId: string,
  subscriptionAttribution: AttemptAttributedData | null,
): AttemptAttributedData {
  return {
    attemptId,
    salePartnerId: subscriptionAttribution?.salePartnerId ?? null,
    leadPartnerId: subscriptionAttribution?.leadPartnerId ?? null,
    saleAttribution: subscriptionAttribution?.saleAttribution ?? null,
    leadAttribution: subscriptionAttribution?.leadAttribution ?? null,
    renewalOf: { subscriptionId, attemptId: subscriptionAttribution?.attemptId ?? null },
  };
}

/**
 * Joins a visitor's clicks to a contact: one referral per creditable clicked partner, set at that
 * partner's earliest click (whose id it keeps), last seen at its latest, expiring leadCookieDays after
 * the latest (null = forever). Clicks after `at` and clicks of unknown partners are ignored.
 */
export function referralsFromClicks(
  contactId: string,
  clicks: readonly ClickRecord[],
  partners: ReadonlyMap<string, AttributionPartner>,
  source: ReferralSource,
  at: IsoInstant,
): ReferralRecordedData[] {
  const atMs = toEpochMs(at);
  const byPartner = new Map<string, { first: ClickRecord; last: ClickRecord }>();
  for (const click of clicks) {
    if (!click.creditable || toEpochMs(click.occurredAt) > atMs || !partners.has(click.partnerId)) continue;
    const seen = byPartner.get(click.partnerId);
    if (!seen) {
      byPartner.set(click.partnerId, { first: click, last: click });
      continue;
    }
    if (toEpochMs(click.occurredAt) < toEpochMs(seen.first.occurredAt)) seen.first = click;
    if (toEpochMs(click.occurredAt) >= toEpochMs(seen.last.occurredAt)) seen.last = click;
  }
  const referrals: ReferralRecordedData[] = [];
  for (const [partnerId, { first, last }] of byPartner) {
    const partner = partners.get(partnerId);
    if (!partner) continue;
    referrals.push({
      contactId,
      partnerId,
      source,
      setAt: toIsoInstant(toEpochMs(first.occurredAt)),
      lastSeenAt: toIsoInstant(toEpochMs(last.occurredAt)),
      expiresAt: clickExpiresAt(last, partner),
      clickId: first.clickId,
    });
  }
  return referrals.sort((a, b) => toEpochMs(a.setAt) - toEpochMs(b.setAt));
}

/**
 * A referral not made of clicks: an opt-in or purchase naming the partner, or one recorded by hand
 * (which may carry its own expiry; otherwise the partner's leadCookieDays apply).
 */
export function referralFor(
  contactId: string,
  partner: AttributionPartner,
  source: ReferralSource,
  at: IsoInstant,
  expiresAt?: IsoInstant | null,
): ReferralRecordedData {
  const setAt = toIsoInstant(toEpochMs(at));
  return {
    contactId,
    partnerId: partner.id,
    source,
    setAt,
    lastSeenAt: setAt,
    expiresAt: expiresAt !== undefined ? expiresAt : clickExpiresAt({ occurredAt: setAt }, partner),
    clickId: null,
  };
}

/** A contact's referral history: at most one record per partner, in the order partners first appeared. */
export type ContactReferralHistory = { contactId: string; referrals: ReferralRecord[] };

export function emptyReferralHistory(contactId: string): ContactReferralHistory {
  return { contactId, referrals: [] };
}

/**
 * Folds a ReferralRecorded into the history. Repeated records for one partner merge: the earliest setAt
 * (with the click and source that set it), the latest lastSeenAt, and the latest expiresAt (null = never
 * wins), so a partner stays creditable as long as any of its referrals is.
 */
export function evolveReferralHistory(
  history: ContactReferralHistory,
  recorded: ReferralRecordedData,
): ContactReferralHistory {
  const { contactId: _contactId, ...incoming } = recorded;
  const index = history.referrals.findIndex((referral) => referral.partnerId === recorded.partnerId);
  const existing = history.referrals[index];
  if (!existing) return { ...history, referrals: [...history.referrals, incoming] };
  const earliest = toEpochMs(incoming.setAt) < toEpochMs(existing.setAt) ? incoming : existing;
  const merged: ReferralRecord = {
    partnerId: existing.partnerId,
    source: earliest.source,
    setAt: earliest.setAt,
    clickId: earliest.clickId,
    lastSeenAt: laterOf(existing.lastSeenAt, incoming.lastSeenAt),
    expiresAt:
      existing.expiresAt === null || incoming.expiresAt === null
        ? null
        : laterOf(existing.expiresAt, incoming.expiresAt),
  };
  const referrals = [...history.referrals];
  referrals[index] = merged;
  return { ...history, referrals };
}

export function isReferralLive(referral: Pick<ReferralRecord, 'setAt' | 'expiresAt'>, atMs: number): boolean {
  return (
    toEpochMs(referral.setAt) <= atMs && (referral.expiresAt === null || atMs < toEpochMs(referral.expiresAt))
  );
}

function isClickCreditableAt(
  click: ClickRecord,
  partners: ReadonlyMap<string, AttributionPartner>,
  atMs: number,
): boolean {
  const partner = partners.get(click.partnerId);
  if (!click.creditable || !partner || !isActive(partner)) return false;
  if (toEpochMs(click.occurredAt) > atMs) return false;
  const expiresAt = clickExpiresAt(click, partner);
  return expiresAt === null || atMs < toEpochMs(expiresAt);
}

type ExplanationBase = Pick<AttributionExplanation, 'rule' | 'trackingMethod'>;

/** 'first' compares when a referral was set, 'last' when it was last seen (a later click refreshes it). */
function fromHistory(
  referrals: readonly ReferralRecord[],
  partners: ReadonlyMap<string, AttributionPartner>,
  atMs: number,
  base: ExplanationBase,
): CreditedPartner | null {
  const live = referrals.filter(
    (referral) => isActive(partners.get(referral.partnerId)) && isReferralLive(referral, atMs),
  );
  const chosen = pick(
    live,
    (referral) => toEpochMs(base.rule === 'first' ? referral.setAt : referral.lastSeenAt),
    base.rule,
  );
  if (!chosen) return null;
  const explanation: AttributionExplanation = {
    method: 'history',
    referralSetAt: chosen.setAt,
    referralSource: chosen.source,
    ...base,
  };
  if (chosen.clickId !== null) explanation.clickId = chosen.clickId;
  return { partnerId: chosen.partnerId, explanation };
}

function clickExplanation(
  method: 'cookie' | 'ip',
  click: ClickRecord,
  base: ExplanationBase,
): AttributionExplanation {
  return { method, clickId: click.clickId, linkId: click.linkId, clickedAt: click.occurredAt, ...base };
}

/** Earliest ('first') or latest ('last'); ties go to the earlier item for first and the later for last. */
function pick<T>(items: readonly T[], timeOf: (item: T) => number, rule: AttributionRule): T | undefined {
  let chosen: T | undefined;
  let chosenTime = 0;
  for (const item of items) {
    const time = timeOf(item);
    const better = chosen === undefined || (rule === 'first' ? time < chosenTime : time >= chosenTime);
    if (better) {
      chosen = item;
      chosenTime = time;
    }
  }
  return chosen;
}

function laterOf(a: IsoInstant, b: IsoInstant): IsoInstant {
  return toEpochMs(b) > toEpochMs(a) ? b : a;
}
