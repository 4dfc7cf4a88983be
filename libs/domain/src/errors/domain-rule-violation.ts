// Well-formed input that breaks a business rule; the HTTP layer maps it to 422 (409 for the `*-conflict` codes).
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
  'invalid-purchase',
  'unknown-partner',
  'unknown-link',
  'unknown-ad',
  'unknown-subscription',
  'unknown-program',
  'partner-cycle',
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
