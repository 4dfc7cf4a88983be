import { DOMAIN_EVENT_TYPES, domainEvent, isDomainEventType } from './domain-events';

describe('event catalogue', () => {
  it('names each event type once, in past tense PascalCase', () => {
    expect(new Set(DOMAIN_EVENT_TYPES).size).toBe(DOMAIN_EVENT_TYPES.length);
    for (const type of DOMAIN_EVENT_TYPES) expect(type).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(DOMAIN_EVENT_TYPES).toContain('CommissionEarned');
  });

  it('recognises stored type names and nothing else', () => {
    expect(isDomainEventType('PaymentCollected')).toBe(true);
    expect(isDomainEventType('paymentCollected')).toBe(false);
    expect(isDomainEventType('OrderShipped')).toBe(false);
  });

  it('builds events as { type, data }', () => {
    expect(domainEvent('PaymentDeclined', { attemptId: 'a1', reason: null })).toEqual({
      type: 'PaymentDeclined',
      data: { attemptId: 'a1', reason: null },
    });
  });
});
