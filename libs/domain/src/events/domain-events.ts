// The event catalogue: every fact the system records, persisted under these stable type names.
// Instants inside payloads are ISO-8601 UTC strings; money is integer minor units of `currency`.
import type { PartnerChanges, Partner } from '../partners/partner';
import type { Program } from '../programs/program';
import type { AttributionRule, Settings, SettingsApplied, TrackingMethod } from '../settings/settings';
import type { IsoInstant } from '../time/instant';

export const AD_MEDIUMS = ['solo-ad', 'banner', 'ppc', 'email', 'social', 'other'] as const;
export type AdMedium = (typeof AD_MEDIUMS)[number];

export const ATTEMPT_KINDS = ['order', 'subscription', 'renewal'] as const;
export type AttemptKind = (typeof ATTEMPT_KINDS)[number];

export const REFERRAL_SOURCES = ['click', 'opt-in', 'purchase', 'manual'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

export const COMMISSION_ROLES = ['sale', 'lead'] as const;
export type CommissionRole = (typeof COMMISSION_ROLES)[number];

export type CommissionLevel = 1 | 2 | 3;

export const PAYOUT_METHODS = ['earned-in-range', 'beginning-plus-earned', 'ending-balance', 'due'] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

export const SKIP_REASONS = ['zero', 'negative', 'below-minimum'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** How a partner was found for an attempt; stored on the attempt and copied onto each commission. */
export type AttributionExplanation = {
  method: 'explicit' | 'cookie' | 'history' | 'ip';
  /** The deciding click (cookie, ip) or the click that set the deciding referral (history). */
  clickId?: string;
  linkId?: string;
  clickedAt?: IsoInstant;
  /** history: when the deciding referral record was set. */
  referralSetAt?: IsoInstant;
  /** history: what created the deciding referral record. */
  referralSource?: ReferralSource;
  rule: AttributionRule;
  trackingMethod: TrackingMethod;
};

export type SettingsChangedData = { settings: Settings; changedKeys: string[] };

/** Defines or replaces a program (the full program after the change). */
export type ProgramDefinedData = { program: Program };

export type PartnerEnrolledData = { partner: Partner };

export type PartnerChangedData = { partnerId: string; changes: PartnerChanges };

/**
 * A partner enrolled itself through the Partner Center sign-up form, always `pending` (earning
 * nothing); `recruitedBy` is the recruiting partner's code as given (its id is `partner.parentId`).
 */
export type PartnerSignedUpData = { partner: Partner; recruitedBy: string | null };

/** A pending partner becomes active (by an admin, or at once when `signup.autoApprove` is on). */
export type PartnerApprovedData = { partnerId: string };

export const COLLATERAL_KINDS = ['banner', 'email'] as const;
export type CollateralKind = (typeof COLLATERAL_KINDS)[number];

/** A banner's file: the bytes live outside the log, addressed by their SHA-256. */
export type CollateralFile = {
  sha256: string;
  contentType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
};

/** Email copy: plain text with a `{{trackingUrl}}` placeholder for each partner's tracking URL. */
export type CollateralEmail = { subject: string | null; body: string };

export type CollateralAddedData = {
  collateralId: string;
  kind: CollateralKind;
  name: string;
  /** The link whose tracking URL the snippets use; null = the partner's first link. */
  linkId: string | null;
  file: CollateralFile | null;
  email: CollateralEmail | null;
};

/** Withdrawn from the Partner Center; the addition and the file stay on record. */
export type CollateralRemovedData = { collateralId: string };

export type LinkDefinedData = {
  linkId: string;
  code: string;
  name: string;
  destinationUrl: string;
  programId: string | null;
};

export type AdCreatedData = {
  adId: string;
  partnerId: string;
  linkId: string;
  name: string;
  medium: AdMedium;
};

export type LinkClickedData = {
  clickId: string;
  partnerId: string;
  linkId: string;
  adId: string | null;
  visitorId: string;
  ip: string | null;
  userAgent: string | null;
  contactId: string | null;
  /** False when the partner was inactive at click time: the click counts in stats but credits no one. */
  creditable: boolean;
};

export type ContactOptedInData = {
  contactId: string;
  visitorId: string | null;
  /** The partner named on the opt-in form (partnerCode resolved), if any. */
  partnerId: string | null;
  email: string | null;
  ip: string | null;
  formId: string | null;
};

export type ReferralRecordedData = {
  contactId: string;
  partnerId: string;
  source: ReferralSource;
  setAt: IsoInstant;
  lastSeenAt: IsoInstant;
  /** null = never expires. */
  expiresAt: IsoInstant | null;
  clickId: string | null;
};

export type PurchaseItem = { productId: string; quantity: number; unitPriceMinor: number };

export type PurchaseAttemptedData = {
  attemptId: string;
  orderId: string;
  contactId: string;
  kind: AttemptKind;
  subscriptionId: string | null;
  visitorId: string | null;
  /** As sent (a sales rep or an external cart's `affiliate`); `explicitPartnerId` is what it resolved to. */
  partnerCode: string | null;
  explicitPartnerId: string | null;
  ip: string | null;
  email: string | null;
  currency: string;
  items: PurchaseItem[];
  totalMinor: number;
};

/** The attribution decision, made when the attempt is recorded (declined attempts need it for reports). */
export type AttemptAttributedData = {
  attemptId: string;
  salePartnerId: string | null;
  leadPartnerId: string | null;
  saleAttribution: AttributionExplanation | null;
  leadAttribution: AttributionExplanation | null;
  /** Renewals: the subscription and the attempt that created it, whose stored partners were reused. */
  renewalOf: { subscriptionId: string; attemptId: string | null } | null;
};

export type PaymentCollectedData = { attemptId: string; amountMinor: number; currency: string };

export type PaymentDeclinedData = { attemptId: string; reason: string | null };

export type RefundIssuedData = { refundId: string; attemptId: string; amountMinor: number; currency: string };

export type CommissionRate = { flatMinor: number | null; percent: string | null };

export type CommissionEarnedData = {
  commissionId: string;
  attemptId: string;
  partnerId: string;
  productId: string;
  role: CommissionRole;
  level: CommissionLevel;
  /** Paid to the level-1 partner for a level whose partner was missing or inactive (payIfUnused). */
  unused: boolean;
  amountMinor: number;
  currency: string;
  programId: string;
  rule: 'default' | 'product';
  rate: CommissionRate;
  baseMinor: number;
  quantity: number;
  lineIndex: number;
  attribution: AttributionExplanation;
  settingsApplied: SettingsApplied;
  /** 1 for the first renewal of a subscription; null for orders and new subscriptions. */
  renewalNumber: number | null;
};

export type CommissionClawedBackData = {
  commissionId: string;
  attemptId: string;
  partnerId: string;
  productId: string;
  refundId: string;
  /** This refund's share (positive). */
  amountMinor: number;
  /** All clawed back from the commission so far, this refund included. */
  clawedBackTotalMinor: number;
  currency: string;
};

export type PartnerPaidData = {
  paymentId: string;
  partnerId: string;
  amountMinor: number;
  currency: string;
  paymentType: string;
  paidAt: IsoInstant;
  note: string | null;
  batchId: string | null;
};

export type LedgerAdjustedData = {
  adjustmentId: string;
  partnerId: string;
  /** Signed, never 0. */
  amountMinor: number;
  reason: string;
  occurredAt: IsoInstant;
};

export type PayoutBatchPayment = { partnerId: string; amountMinor: number; paymentId: string };
export type PayoutBatchSkip = { partnerId: string; amountMinor: number; reason: SkipReason };

export type PayoutBatchCreatedData = {
  batchId: string;
  method: PayoutMethod;
  /** Report methods: the inclusive local days of the ledger report. */
  from: string | null;
  to: string | null;
  /** `due` method: the pay date and the cutoff instant it implies. */
  payDate: string | null;
  cutoff: IsoInstant | null;
  paidAt: IsoInstant;
  paymentType: string;
  minimumAmountMinor: number;
  currency: string;
  payments: PayoutBatchPayment[];
  skipped: PayoutBatchSkip[];
  totalMinor: number;
};

/** An admin registered an endpoint that receives webhooks; its signing secret is never in the log. */
export type WebhookEndpointRegisteredData = {
  endpointId: string;
  url: string;
  /** Webhook event types (e.g. "commission.earned") it subscribes to. */
  events: string[];
  description: string | null;
};

export type WebhookEndpointChanges = {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
  /** Set when the endpoint is disabled (by an admin, or by the dispatcher after failing for days). */
  disabledReason?: string | null;
};

export type WebhookEndpointChangedData = { endpointId: string; changes: WebhookEndpointChanges };

export type WebhookEndpointRemovedData = { endpointId: string };

/** Payload type per event type name. */
export type DomainEventDataMap = {
  SettingsChanged: SettingsChangedData;
  ProgramDefined: ProgramDefinedData;
  PartnerEnrolled: PartnerEnrolledData;
  PartnerChanged: PartnerChangedData;
  PartnerSignedUp: PartnerSignedUpData;
  PartnerApproved: PartnerApprovedData;
  CollateralAdded: CollateralAddedData;
  CollateralRemoved: CollateralRemovedData;
  LinkDefined: LinkDefinedData;
  AdCreated: AdCreatedData;
  LinkClicked: LinkClickedData;
  ContactOptedIn: ContactOptedInData;
  ReferralRecorded: ReferralRecordedData;
  PurchaseAttempted: PurchaseAttemptedData;
  AttemptAttributed: AttemptAttributedData;
  PaymentCollected: PaymentCollectedData;
  PaymentDeclined: PaymentDeclinedData;
  RefundIssued: RefundIssuedData;
  CommissionEarned: CommissionEarnedData;
  CommissionClawedBack: CommissionClawedBackData;
  PartnerPaid: PartnerPaidData;
  LedgerAdjusted: LedgerAdjustedData;
  PayoutBatchCreated: PayoutBatchCreatedData;
  WebhookEndpointRegistered: WebhookEndpointRegisteredData;
  WebhookEndpointChanged: WebhookEndpointChangedData;
  WebhookEndpointRemoved: WebhookEndpointRemovedData;
};

/** The activity: traffic, purchase attempts and their outcomes, and the commissions they earn. */
export const ACTIVITY_EVENT_TYPES = [
  'LinkClicked',
  'ContactOptedIn',
  'ReferralRecorded',
  'PurchaseAttempted',
  'AttemptAttributed',
  'PaymentCollected',
  'PaymentDeclined',
  'RefundIssued',
  'CommissionEarned',
  'CommissionClawedBack',
] as const satisfies readonly (keyof DomainEventDataMap)[];
export type ActivityEventType = (typeof ACTIVITY_EVENT_TYPES)[number];

export const DOMAIN_EVENT_TYPES = [
  'SettingsChanged',
  'ProgramDefined',
  'PartnerEnrolled',
  'PartnerChanged',
  'PartnerSignedUp',
  'PartnerApproved',
  'CollateralAdded',
  'CollateralRemoved',
  'LinkDefined',
  'AdCreated',
  ...ACTIVITY_EVENT_TYPES,
  'PartnerPaid',
  'LedgerAdjusted',
  'PayoutBatchCreated',
  'WebhookEndpointRegistered',
  'WebhookEndpointChanged',
  'WebhookEndpointRemoved',
] as const satisfies readonly (keyof DomainEventDataMap)[];

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

// Compile-time: the list names every payload type.
type UnlistedTypes = Exclude<keyof DomainEventDataMap, DomainEventType>;
const everyTypeListed: [UnlistedTypes] extends [never] ? true : UnlistedTypes = true;
void everyTypeListed;

export type DomainEvent = {
  [T in DomainEventType]: { type: T; data: DomainEventDataMap[T] };
}[DomainEventType];

export type EventOfType<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

export function isDomainEventType(type: string): type is DomainEventType {
  return (DOMAIN_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * Whether `event` is of one of `types`: narrows it to them, so that a switch over its type names each
 * one (and a type added to the list must be handled there).
 */
export function isEventOfType<const T extends DomainEventType>(
  event: DomainEvent,
  types: readonly T[],
): event is EventOfType<T> {
  return (types as readonly DomainEventType[]).includes(event.type);
}

export function domainEvent<T extends DomainEventType>(type: T, data: DomainEventDataMap[T]): EventOfType<T> {
  return { type, data } as EventOfType<T>;
}
