// Partner Center sign-up and approval: a self-enrolled partner starts `pending` and earns nothing
// until it is approved (by an admin, or at once when `signup.autoApprove` is on).
import { DomainRuleViolation } from '../errors/domain-rule-violation';
import { domainEvent, isEventOfType, type DomainEvent } from '../events/domain-events';
import type { SignupSettings } from '../settings/settings';
import { isActive, isPending, type Partner } from './partner';

export type SignUpRequest = {
  partnerId: string;
  code: string;
  name: string;
  email: string;
  /** A partner code from the recruiting link (`/partner-center/join?ref=<code>`), if any. */
  recruitedBy: string | null;
};

export type SignUpInput = {
  request: SignUpRequest;
  signup: SignupSettings;
  /** The partner whose code is `recruitedBy` (matched ignoring case), or null when there is none. */
  recruiter: Pick<Partner, 'id' | 'status'> | null;
};

/**
 * The events of a sign-up: `PartnerSignedUp` (a pending partner in the sign-up programs, whose parent
 * is the recruiter) and, with auto-approval, `PartnerApproved` right after it. Refused while sign-up
 * is closed, and when the recruiting code names no active partner (a pending or inactive partner
 * cannot recruit).
 */
export function decideSignUp({ request, signup, recruiter }: SignUpInput): DomainEvent[] {
  if (!signup.enabled) throw new DomainRuleViolation('signup-closed', 'Partner sign-up is not open');
  if (request.recruitedBy !== null && (!recruiter || !isActive(recruiter))) {
    throw new DomainRuleViolation(
      'unknown-partner',
      `no active partner has the code ${request.recruitedBy}`,
      'recruitedBy',
    );
  }
  const partner: Partner = {
    id: request.partnerId,
    code: request.code,
    name: request.name,
    email: request.email,
    parentId: request.recruitedBy !== null && recruiter ? recruiter.id : null,
    programIds: [...signup.programIds],
    status: 'pending',
    leadCookieDays: null,
    notifyOnLead: false,
    notifyOnSale: false,
  };
  const events: DomainEvent[] = [
    domainEvent('PartnerSignedUp', { partner, recruitedBy: request.recruitedBy }),
  ];
  if (signup.autoApprove) events.push(domainEvent('PartnerApproved', { partnerId: partner.id }));
  return events;
}

/**
 * Approving: a pending partner becomes active; an active one is already approved (no event, so a
 * retry is harmless); an inactive one was switched off by an admin and is not "approved" back.
 */
export function decideApproval(partner: Pick<Partner, 'id' | 'status'>): DomainEvent[] {
  if (isActive(partner)) return [];
  if (!isPending(partner)) {
    throw new DomainRuleViolation(
      'not-pending',
      `partner ${partner.id} is ${partner.status}, not pending approval`,
    );
  }
  return [domainEvent('PartnerApproved', { partnerId: partner.id })];
}

/** The events that change a partner. */
const PARTNER_EVENT_TYPES = [
  'PartnerEnrolled',
  'PartnerSignedUp',
  'PartnerChanged',
  'PartnerApproved',
] as const;

/** The partner after one of its own events (enrolment, sign-up, change, approval). */
export function evolvePartner(partner: Partner | undefined, event: DomainEvent): Partner | undefined {
  if (!isEventOfType(event, PARTNER_EVENT_TYPES)) return partner;
  switch (event.type) {
    case 'PartnerEnrolled':
    case 'PartnerSignedUp':
      return { ...event.data.partner };
    case 'PartnerChanged':
      return partner && { ...partner, ...definedOnly(event.data.changes) };
    case 'PartnerApproved':
      return partner && { ...partner, status: 'active' };
  }
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<T>;
}
