import { DomainRuleViolation } from '../errors/domain-rule-violation';
import { aPartner } from '../testing/fixtures';
import { applyPartnerChanges, assertValidParent, isValidPartnerCode, sameEmail } from './partner';

describe('partner codes', () => {
  it.each(['ann', 'A1', 'roger_2016', 'x-y'])('accepts %p', (code) =>
    expect(isValidPartnerCode(code)).toBe(true),
  );
  it.each(['', '1ann', 'has space', '-ann', 'ann/1', 'é'])('rejects %p', (code) =>
    expect(isValidPartnerCode(code)).toBe(false),
  );
});

describe('sameEmail', () => {
  it('compares trimmed and case-insensitively, never matching a missing email', () => {
    expect(sameEmail(' Ann@Example.com', 'ann@example.COM ')).toBe(true);
    expect(sameEmail('ann@example.com', 'bob@example.com')).toBe(false);
    expect(sameEmail(null, null)).toBe(false);
    expect(sameEmail('', '  ')).toBe(false);
  });
});

describe('applyPartnerChanges', () => {
  it('changes only the given fields', () => {
    const ann = aPartner('ann');
    expect(applyPartnerChanges(ann, { status: 'inactive', leadCookieDays: null })).toEqual({
      ...ann,
      status: 'inactive',
      leadCookieDays: null,
    });
  });
});

describe('assertValidParent', () => {
  const parents = new Map<string, string | null>([
    ['top', null],
    ['mid', 'top'],
    ['low', 'mid'],
  ]);
  const parentOf = (id: string) => parents.get(id);

  it('accepts an existing partner outside the descendants', () => {
    expect(() => assertValidParent('new', 'low', parentOf)).not.toThrow();
  });

  it.each([
    ['mid', 'mid', 'partner-cycle'],
    ['top', 'low', 'partner-cycle'],
    ['new', 'ghost', 'unknown-partner'],
  ])('refuses %s -> %s (%s)', (partnerId, parentId, code) => {
    let thrown: unknown;
    try {
      assertValidParent(partnerId, parentId, parentOf);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainRuleViolation);
    expect(thrown).toMatchObject({ code, path: 'parentId' });
  });
});
