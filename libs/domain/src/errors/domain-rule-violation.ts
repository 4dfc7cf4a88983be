// Well-formed input that breaks a business rule; the HTTP layer maps it to 422, or to 409 for an id reused
// with other content (see domainRuleStatus).
export const DOMAIN_RULE_CODES = [
  'unknown-attempt',
  'attempt-exists',
  'already-collected',
  'already-declined',
  'refund-not-allowed',
  'refund-exceeds-collected',
  'refund-id-conflict',
  'currency-mismatch',
  'invalid-amount',
  'amount-out-of-range',
  'invalid-purchase',
  'unknown-partner',
  'unknown-link',
  'unknown-ad',
  'unknown-subscription',
  'unknown-program',
  'partner-cycle',
  'currency-locked',
  'signup-closed',
  'not-pending',
] as const;

export type DomainRuleCode = (typeof DOMAIN_RULE_CODES)[number];

export class DomainRuleViolation extends Error {
  override readonly name = 'DomainRuleViolation';

  constructor(
    readonly code: DomainRuleCode,
    message: string,
    /** Set when one input field is at fault, e.g. `currency` or `items[0].quantity`. */
    readonly path?: string,
  ) {
    super(message);
  }
}

export function isDomainRuleViolation(error: unknown): error is DomainRuleViolation {
  return error instanceof DomainRuleViolation;
}

/**
 * The HTTP status of a broken rule: 409 when a client id (a refundId, an attemptId) was reused with
 * other content, like an eventId or any other id; 422 for every other rule.
 */
export function domainRuleStatus(code: DomainRuleCode): 409 | 422 {
  return code.endsWith('-conflict') || code === 'attempt-exists' ? 409 : 422;
}
