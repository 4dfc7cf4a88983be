/**
 * The state an ingest request decides on, held in memory: loaded once for all its envelopes (one
 * query per kind, whatever their number), then kept up to date with the events each envelope
 * decides, so that a later envelope sees what an earlier one decided, as if the events were already
 * in the write model. The rules of what an event changes are those of the write-model projection.
 */
import {
  ATTEMPT_EVENT_TYPES,
  type Attempt,
  type AttemptAttributedData,
  type AttemptEvent,
  type ClickRecord,
  type ContactReferralHistory,
  DomainRuleViolation,
  type Program,
  type ReferralRecordedData,
  type Settings,
  emptyReferralHistory,
  evolveAttempt,
  evolveReferralHistory,
  initialAttempt,
  isEventOfType,
} from '@app/domain';
import { EVENT_STORE, type EventStore, type ExpectedVersion, type RecordedEvent } from '@app/event-store';
import type { Transaction } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { attemptStream } from '../attempts/attempt-stream';
import type { DomainAppend } from './event-writer';
import { PARTNER_COLUMNS, type PartnerRecord, type PartnerRow, toPartner } from './write-model.queries';
import { type AdRecord, type AdRow, type LinkRecord, toAd, toLink } from './write-model.queries';
import { REFERRAL_COLUMNS, type ReferralRow, referralFromRow } from './referral-rows';

const ATTEMPT_TYPES = new Set<string>(ATTEMPT_EVENT_TYPES);
/** The events whose effect on the clicks, contacts and referrals later envelopes decide on is folded here. */
const TRACKED_TYPES = ['LinkClicked', 'ContactOptedIn', 'ReferralRecorded', 'PurchaseAttempted'] as const;

/** What a request's envelopes will read; each slice adds its envelope's part. */
export class DecisionNeeds {
  readonly partnerIds = new Set<string>();
  /** Lower-cased. */
  readonly partnerCodes = new Set<string>();
  readonly linkIds = new Set<string>();
  /** Lower-cased. */
  readonly linkCodes = new Set<string>();
  readonly adIds = new Set<string>();
  /** Visitors whose contact is needed. */
  readonly visitors = new Set<string>();
  /** Visitors whose clicks are needed. */
  readonly clickVisitors = new Set<string>();
  /** IP addresses whose clicks in [from, to] are needed. */
  readonly ipWindows: { ip: string; from: string; to: string }[] = [];
  /** Contacts whose referral history is needed. */
  readonly contacts = new Set<string>();
  readonly attempts = new Set<string>();
  readonly subscriptions = new Set<string>();
  /**
   * Commissions are decided: every loaded partner comes with its ancestors up to the settings' levels
   * and its programs. Without, the partners alone (a click or an opt-in reads no more of them).
   */
  commissions = false;

  constructor(readonly settings: Settings) {}

  /** A partner named by id or by code (a code may carry the settings' codePrefix). */
  partner(ref: { partnerId?: string | undefined; partnerCode?: string | undefined }): void {
    if (ref.partnerId !== undefined) this.partnerIds.add(ref.partnerId);
    else if (ref.partnerCode !== undefined) {
      const code = ref.partnerCode.toLowerCase();
      this.partnerCodes.add(code);
      const prefix = this.settings.codePrefix.toLowerCase();
      if (prefix !== '' && code.startsWith(prefix)) this.partnerCodes.add(code.slice(prefix.length));
    }
  }

  link(ref: { linkId?: string | undefined; linkCode?: string | undefined }): void {
    if (ref.linkId !== undefined) this.linkIds.add(ref.linkId);
    else this.linkCodes.add((ref.linkCode ?? '').toLowerCase());
  }
}

interface StoredClick {
  readonly record: ClickRecord;
  contactId: string | null;
}

interface AttemptStream {
  state: Attempt;
  version: number;
}

interface Subscription {
  readonly attributed: AttemptAttributedData | null;
  collectedRenewals: number;
}

export class DecisionState {
  private readonly partnersById = new Map<string, PartnerRecord>();
  private readonly partnersByCode = new Map<string, PartnerRecord>();
  private readonly linksById = new Map<string, LinkRecord>();
  private readonly linksByCode = new Map<string, LinkRecord>();
  private readonly ads = new Map<string, AdRecord>();
  private readonly programs = new Map<string, Program>();
  private readonly contactsOfVisitors = new Map<string, string>();
  private readonly clicks = new Map<string, StoredClick>();
  private readonly clicksOfVisitors = new Map<string, StoredClick[]>();
  private readonly clicksOfIps = new Map<string, StoredClick[]>();
  private readonly referrals = new Map<string, { referralId: string; data: ReferralRecordedData }[]>();
  private readonly attempts = new Map<string, AttemptStream>();
  private readonly subscriptions = new Map<string, Subscription>();

  /** The envelopes' ids already in the log. */
  readonly stored = new Map<string, RecordedEvent>();

  constructor(readonly settings: Settings) {}

  // ---- reads, as the deciders need them ----

  /** By id or code; a code may carry the settings' codePrefix, as in tracking URLs. */
  partner(
    ref: { partnerId?: string | undefined; partnerCode?: string | undefined },
    path: string,
  ): PartnerRecord {
    let partner: PartnerRecord | undefined;
    if (ref.partnerId !== undefined) partner = this.partnersById.get(ref.partnerId);
    else if (ref.partnerCode !== undefined) {
      const code = ref.partnerCode.toLowerCase();
      const prefix = this.settings.codePrefix.toLowerCase();
      partner =
        this.partnersByCode.get(code) ??
        (prefix !== '' && code.startsWith(prefix)
          ? this.partnersByCode.get(code.slice(prefix.length))
          : undefined);
    }
    if (!partner) {
      throw new DomainRuleViolation(
        'unknown-partner',
        `unknown partner ${ref.partnerId ?? ref.partnerCode ?? ''}`,
        path,
      );
    }
    return partner;
  }

  link(ref: { linkId?: string | undefined; linkCode?: string | undefined }): LinkRecord | undefined {
    return ref.linkId !== undefined
      ? this.linksById.get(ref.linkId)
      : this.linksByCode.get((ref.linkCode ?? '').toLowerCase());
  }

  ad(adId: string): AdRecord | undefined {
    return this.ads.get(adId);
  }

  partnersByIds(ids: Iterable<string>): Map<string, PartnerRecord> {
    const found = new Map<string, PartnerRecord>();
    for (const id of ids) {
      const partner = this.partnersById.get(id);
      if (partner) found.set(id, partner);
    }
    return found;
  }

  /** The partner and its ancestors up to `depth` levels (1 = the partner alone). */
  partnerChain(id: string, depth: number): PartnerRecord[] {
    const chain: PartnerRecord[] = [];
    let next: string | null = id;
    while (next && chain.length < depth) {
      const partner = this.partnersById.get(next);
      if (!partner || chain.some((p) => p.id === partner.id)) break;
      chain.push(partner);
      next = partner.parentId;
    }
    return chain;
  }

  programsByIds(ids: Iterable<string>): Map<string, Program> {
    const found = new Map<string, Program>();
    for (const id of ids) {
      const program = this.programs.get(id);
      if (program) found.set(id, program);
    }
    return found;
  }

  contactOfVisitor(visitorId: string): string | null {
    return this.contactsOfVisitors.get(visitorId) ?? null;
  }

  visitorClicks(visitorId: string): ClickRecord[] {
    return sortClicks(this.clicksOfVisitors.get(visitorId) ?? []);
  }

  /** Clicks of a visitor not yet joined to any contact. */
  unjoinedVisitorClicks(visitorId: string): ClickRecord[] {
    return sortClicks((this.clicksOfVisitors.get(visitorId) ?? []).filter((c) => c.contactId === null));
  }

  ipClicks(ip: string, fromInclusive: string, toInclusive: string): ClickRecord[] {
    const from = Date.parse(fromInclusive);
    const to = Date.parse(toInclusive);
    return sortClicks(
      (this.clicksOfIps.get(ip) ?? []).filter((c) => {
        const at = Date.parse(c.record.occurredAt);
        return at >= from && at <= to;
      }),
    );
  }

  /** One merged record per partner (see evolveReferralHistory), folded in (setAt, referral id) order. */
  referralHistory(contactId: string): ContactReferralHistory {
    const records = [...(this.referrals.get(contactId) ?? [])].sort(
      (a, b) =>
        Date.parse(a.data.setAt) - Date.parse(b.data.setAt) || compareText(a.referralId, b.referralId),
    );
    return records.reduce(
      (history, r) => evolveReferralHistory(history, r.data),
      emptyReferralHistory(contactId),
    );
  }

  attempt(attemptId: string): { state: Attempt; expectedVersion: ExpectedVersion } {
    const stream = this.attempts.get(attemptId);
    if (!stream) throw new Error(`attempt ${attemptId} was not loaded`);
    return { state: stream.state, expectedVersion: stream.version === 0 ? 'no-stream' : stream.version };
  }

  subscription(subscriptionId: string): Subscription | null {
    return this.subscriptions.get(subscriptionId) ?? null;
  }

  // ---- what decided events change ----

  /** Folds an envelope's decided events into the state (the write-model projection's rules). */
  apply(appends: readonly DomainAppend[]): void {
    for (const append of appends) {
      for (const pending of append.events) {
        const { event, occurredAt, eventId } = pending;
        if (isEventOfType(event, TRACKED_TYPES))
          switch (event.type) {
            case 'LinkClicked': {
              const c = event.data;
              this.addClick(
                { ...c, occurredAt, ip: c.ip },
                c.contactId ?? this.contactsOfVisitors.get(c.visitorId) ?? null,
              );
              if (c.contactId) this.join(c.visitorId, c.contactId);
              break;
            }
            case 'ContactOptedIn':
              if (event.data.visitorId) this.join(event.data.visitorId, event.data.contactId);
              break;
            case 'ReferralRecorded':
              this.addReferral(eventId, event.data);
              break;
            case 'PurchaseAttempted':
              if (event.data.visitorId) this.join(event.data.visitorId, event.data.contactId);
              break;
          }
        if (ATTEMPT_TYPES.has(event.type)) this.evolveAttempt(event as AttemptEvent);
      }
      const attemptId = append.streamId.startsWith('attempt-') ? append.streamId.slice(8) : null;
      const stream = attemptId ? this.attempts.get(attemptId) : undefined;
      if (stream) stream.version += append.events.length;
    }
  }

  private evolveAttempt(event: AttemptEvent): void {
    const stream = this.attempts.get(event.data.attemptId);
    if (!stream) return;
    stream.state = evolveAttempt(stream.state, event);
    if (stream.state.status === 'none') return;
    const { kind, subscriptionId } = stream.state.purchase;
    if (!subscriptionId) return;
    // A new subscription stores its partners for every renewal to come; a collected renewal counts.
    if (
      event.type === 'AttemptAttributed' &&
      kind === 'subscription' &&
      !this.subscriptions.has(subscriptionId)
    )
      this.subscriptions.set(subscriptionId, { attributed: event.data, collectedRenewals: 0 });
    if (event.type === 'PaymentCollected' && kind === 'renewal') {
      const subscription = this.subscriptions.get(subscriptionId);
      if (subscription) subscription.collectedRenewals++;
    }
  }

  /** The first contact a visitor is seen with keeps it; its clicks without a contact join it. */
  private join(visitorId: string, contactId: string): void {
    if (this.contactsOfVisitors.has(visitorId)) return;
    this.contactsOfVisitors.set(visitorId, contactId);
    for (const click of this.clicksOfVisitors.get(visitorId) ?? [])
      if (click.contactId === null) click.contactId = contactId;
  }

  private addClick(record: ClickRecord, contactId: string | null): void {
    if (this.clicks.has(record.clickId)) return;
    const click: StoredClick = {
      record: {
        clickId: record.clickId,
        partnerId: record.partnerId,
        linkId: record.linkId,
        visitorId: record.visitorId,
        ip: record.ip,
        occurredAt: record.occurredAt,
        creditable: record.creditable,
      },
      contactId,
    };
    this.clicks.set(record.clickId, click);
    push(this.clicksOfVisitors, record.visitorId, click);
    if (record.ip) push(this.clicksOfIps, record.ip, click);
  }

  private addReferral(referralId: string, data: ReferralRecordedData): void {
    push(this.referrals, data.contactId, { referralId, data });
  }

  // ---- loading ----

  static async load(
    tx: Transaction,
    store: EventStore,
    needs: DecisionNeeds,
    eventIds: readonly string[],
  ): Promise<DecisionState> {
    // One after the other: they share the transaction's connection.
    const state = new DecisionState(needs.settings);
    await state.loadAttempts(tx, store, needs);
    await state.loadSubscriptions(tx, needs);
    await state.loadContacts(tx, needs);
    await state.loadClicks(tx, needs);
    await state.loadReferrals(tx, needs);
    await state.loadLinksAndAds(tx, needs);
    await state.loadPartners(tx, needs);
    // Last: a concurrent delivery of an envelope (a retry racing its first attempt) that committed
    // before any of the state above was read is then seen here too, and the envelope is answered as
    // its duplicate (or a conflict) rather than refused by what that delivery itself decided.
    for (const [id, event] of await store.findEvents(eventIds, tx)) state.stored.set(id, event);
    return state;
  }

  private async loadAttempts(tx: Transaction, store: EventStore, needs: DecisionNeeds): Promise<void> {
    if (needs.attempts.size === 0) return;
    const ids = [...needs.attempts];
    const streams = await store.readStreams(ids.map(attemptStream), tx);
    for (const id of ids) {
      const recorded = streams.get(attemptStream(id)) ?? [];
      const events = recorded
        .filter((e) => ATTEMPT_TYPES.has(e.type))
        .map((e) => ({ type: e.type, data: e.data }) as unknown as AttemptEvent);
      this.attempts.set(id, {
        state: events.reduce(evolveAttempt, initialAttempt),
        version: recorded[recorded.length - 1]?.streamVersion ?? 0,
      });
    }
    // A collected renewal counts on its subscription.
    for (const stream of this.attempts.values()) {
      if (stream.state.status === 'none') continue;
      const { kind, subscriptionId } = stream.state.purchase;
      if (kind === 'renewal' && subscriptionId) needs.subscriptions.add(subscriptionId);
    }
  }

  /**
   * Locked (FOR UPDATE, in id order) until the commit: two renewals of one subscription collected at
   * once count one after the other.
   */
  private async loadSubscriptions(tx: Transaction, needs: DecisionNeeds): Promise<void> {
    if (needs.subscriptions.size === 0) return;
    const { rows } = await tx.query<{
      subscription_id: string;
      collected_renewals: number;
      attributed: AttemptAttributedData | null;
    }>(
      `SELECT s.subscription_id, s.collected_renewals, a.attributed
         FROM subscriptions s LEFT JOIN attempts a ON a.attempt_id = s.attempt_id
        WHERE s.subscription_id = ANY($1) ORDER BY s.subscription_id FOR UPDATE OF s`,
      [[...needs.subscriptions]],
    );
    for (const row of rows) {
      this.subscriptions.set(row.subscription_id, {
        attributed: row.attributed,
        collectedRenewals: row.collected_renewals,
      });
    }
  }

  private async loadContacts(tx: Transaction, needs: DecisionNeeds): Promise<void> {
    if (needs.visitors.size === 0) return;
    const { rows } = await tx.query<{ visitor_id: string; contact_id: string }>(
      'SELECT visitor_id, contact_id FROM visitor_contacts WHERE visitor_id = ANY($1)',
      [[...needs.visitors]],
    );
    for (const row of rows) this.contactsOfVisitors.set(row.visitor_id, row.contact_id);
  }

  private async loadClicks(tx: Transaction, needs: DecisionNeeds): Promise<void> {
    const windows = needs.ipWindows;
    if (needs.clickVisitors.size === 0 && windows.length === 0) return;
    const from = windows.reduce((min, w) => (w.from < min ? w.from : min), windows[0]?.from ?? '');
    const to = windows.reduce((max, w) => (w.to > max ? w.to : max), windows[0]?.to ?? '');
    const { rows } = await tx.query<{
      click_id: string;
      partner_id: string;
      link_id: string;
      visitor_id: string;
      contact_id: string | null;
      ip: string | null;
      occurred_at: Date;
      creditable: boolean;
    }>(
      `SELECT click_id, partner_id, link_id, visitor_id, contact_id, ip, occurred_at, creditable FROM clicks
        WHERE visitor_id = ANY($1) OR (ip = ANY($2) AND occurred_at BETWEEN $3 AND $4)`,
      [[...needs.clickVisitors], [...new Set(windows.map((w) => w.ip))], from || null, to || null],
    );
    for (const r of rows) {
      this.addClick(
        {
          clickId: r.click_id,
          partnerId: r.partner_id,
          linkId: r.link_id,
          visitorId: r.visitor_id,
          ip: r.ip,
          occurredAt: r.occurred_at.toISOString(),
          creditable: r.creditable,
        },
        r.contact_id,
      );
    }
  }

  private async loadReferrals(tx: Transaction, needs: DecisionNeeds): Promise<void> {
    if (needs.contacts.size === 0) return;
    const { rows } = await tx.query<ReferralRow>(
      `SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE contact_id = ANY($1)`,
      [[...needs.contacts]],
    );
    for (const row of rows) this.addReferral(row.referral_id, referralFromRow(row));
  }

  private async loadLinksAndAds(tx: Transaction, needs: DecisionNeeds): Promise<void> {
    if (needs.linkIds.size > 0 || needs.linkCodes.size > 0) {
      const { rows } = await tx.query<Parameters<typeof toLink>[0]>(
        'SELECT * FROM links WHERE link_id = ANY($1) OR lower(code) = ANY($2)',
        [[...needs.linkIds], [...needs.linkCodes]],
      );
      for (const row of rows) {
        const link = toLink(row);
        this.linksById.set(link.id, link);
        this.linksByCode.set(link.code.toLowerCase(), link);
      }
    }
    if (needs.adIds.size > 0) {
      const { rows } = await tx.query<AdRow>('SELECT * FROM ads WHERE ad_id = ANY($1)', [[...needs.adIds]]);
      for (const row of rows) this.ads.set(row.ad_id, toAd(row));
    }
  }

  /**
   * The partners named, those of the loaded clicks, referrals, attempts and subscriptions (any of
   * them may be credited, then paid, within the request); when commissions are decided, each with its
   * ancestors up to the settings' levels, then their programs.
   */
  private async loadPartners(tx: Transaction, needs: DecisionNeeds): Promise<void> {
    const ids = new Set(needs.partnerIds);
    for (const click of this.clicks.values()) ids.add(click.record.partnerId);
    for (const list of this.referrals.values()) for (const r of list) ids.add(r.data.partnerId);
    const credited = (a: AttemptAttributedData | null | undefined) => {
      if (a?.salePartnerId) ids.add(a.salePartnerId);
      if (a?.leadPartnerId) ids.add(a.leadPartnerId);
    };
    for (const stream of this.attempts.values())
      if (stream.state.status !== 'none') credited(stream.state.attribution);
    for (const subscription of this.subscriptions.values()) credited(subscription.attributed);
    if (ids.size === 0 && needs.partnerCodes.size === 0) return;
    const { rows } = await tx.query<PartnerRow>(
      `WITH RECURSIVE chain (partner_id, depth) AS (
         SELECT partner_id, 1 FROM partners WHERE partner_id = ANY($1) OR lower(code) = ANY($2)
         UNION
         SELECT p.parent_id, c.depth + 1 FROM chain c JOIN partners p ON p.partner_id = c.partner_id
          WHERE p.parent_id IS NOT NULL AND c.depth < $3)
       SELECT ${PARTNER_COLUMNS} FROM partners WHERE partner_id IN (SELECT partner_id FROM chain)`,
      [[...ids], [...needs.partnerCodes], needs.commissions ? Math.max(1, needs.settings.levels) : 1],
    );
    for (const row of rows) {
      const partner = toPartner(row);
      this.partnersById.set(partner.id, partner);
      this.partnersByCode.set(partner.code.toLowerCase(), partner);
    }
    const programIds = needs.commissions ? [...new Set(rows.flatMap((r) => r.program_ids))] : [];
    if (programIds.length === 0) return;
    const programs = await tx.query<{ definition: Program }>(
      'SELECT definition FROM programs WHERE program_id = ANY($1)',
      [programIds],
    );
    for (const row of programs.rows) this.programs.set(row.definition.id, row.definition);
  }
}

/** The loader as a provider: the store comes from the container. */
@Injectable()
export class DecisionStateLoader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  load(tx: Transaction, needs: DecisionNeeds, eventIds: readonly string[]): Promise<DecisionState> {
    return DecisionState.load(tx, this.store, needs, eventIds);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Text order of ids, as the database's (C collation) ORDER BY gives it. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** In (occurredAt, click id) order, as the write-model queries return them. */
function sortClicks(clicks: readonly StoredClick[]): ClickRecord[] {
  return clicks
    .map((c) => c.record)
    .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || compareText(a.clickId, b.clickId));
}
