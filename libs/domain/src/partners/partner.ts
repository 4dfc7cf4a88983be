// Referral partners as the domain sees them, and the rules on their code and parent chain.
import { DomainRuleViolation } from '../errors/domain-rule-violation';

/**
 * `pending`: signed up through the Partner Center and not yet approved. Like `inactive`, it earns
 * nothing and its clicks credit no one; unlike it, it becomes `active` through `PartnerApproved`.
 */
export const PARTNER_STATUSES = ['active', 'inactive', 'pending'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

export type Partner = {
  id: string;
  code: string;
  name: string;
  email: string | null;
  parentId: string | null;
  /** In assigned order: ties of program priority go to the earlier one. */
  programIds: string[];
  status: PartnerStatus;
  /** How long a click or referral stays creditable for this partner; null = forever. */
  leadCookieDays: number | null;
  notifyOnLead: boolean;
  notifyOnSale: boolean;
};

export type PartnerChanges = Partial<Omit<Partner, 'id' | 'code'>>;

const PARTNER_CODE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export function isValidPartnerCode(code: string): boolean {
  return PARTNER_CODE.test(code);
}

/** Whether the partner earns commissions and its clicks and referrals credit it (pending and inactive: no). */
export function isActive(partner: Pick<Partner, 'status'> | undefined): boolean {
  return partner?.status === 'active';
}

/** A partner whose approval is awaited: the only status `PartnerApproved` applies to. */
export function isPending(partner: Pick<Partner, 'status'> | undefined): boolean {
  return partner?.status === 'pending';
}

export function applyPartnerChanges(partner: Partner, changes: PartnerChanges): Partner {
  const next: Partner = { ...partner };
  for (const key of Object.keys(changes) as (keyof PartnerChanges)[]) {
    const value = changes[key];
    if (value !== undefined) Object.assign(next, { [key]: value });
  }
  return next;
}

/** Email equality for self-referral checks: trimmed and case-insensitive. */
export function sameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const left = a.trim().toLowerCase();
  return left !== '' && left === b.trim().toLowerCase();
}

/**
 * Throws unless `parentId` may become the parent of `partnerId`: it must exist, not be the partner
 * itself, and not have the partner among its own ancestors (no cycles).
 */
export function assertValidParent(
  partnerId: string,
  parentId: string,
  parentOf: (id: string) => string | null | undefined,
): void {
  if (parentId === partnerId) {
    throw new DomainRuleViolation('partner-cycle', 'a partner cannot be its own parent', 'parentId');
  }
  if (parentOf(parentId) === undefined) {
    throw new DomainRuleViolation('unknown-partner', `unknown parent partner ${parentId}`, 'parentId');
  }
  const seen = new Set<string>([parentId]);
  for (let ancestor = parentOf(parentId); ancestor; ancestor = parentOf(ancestor)) {
    if (ancestor === partnerId) {
      throw new DomainRuleViolation('partner-cycle', `${parentId} descends from ${partnerId}`, 'parentId');
    }
    if (seen.has(ancestor)) break; // an existing cycle elsewhere must not hang us
    seen.add(ancestor);
  }
}
