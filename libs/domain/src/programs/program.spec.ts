import { aProgram, aRule, byId } from '../testing/fixtures';
import { chooseRule, parseProgram, ratesFor, validateProgram } from './program';

describe('validateProgram', () => {
  const valid = {
    id: 'standard',
    name: 'Standard',
    priority: 1,
    default: { sale: [{ percent: '10' }, { percent: '5' }], lead: [{ flat: 500 }] },
    products: {
      'sku-1': { sale: [{ flat: 100, percent: '12.5' }], renewal: [{ percent: '5' }], maxRenewals: 12 },
    },
  };

  it('accepts a well-formed program and fills defaults', () => {
    expect(validateProgram(valid)).toEqual([]);
    const parsed = parseProgram({ id: 'p', name: 'P' });
    expect(parsed).toEqual({
      ok: true,
      value: { id: 'p', name: 'P', notes: null, priority: 0, default: null, products: {} },
    });
  });

  it.each([
    [{ products: { 'sku-1': { sale: [{ percent: '101' }] } } }, 'products.sku-1.sale[0].percent'],
    [{ products: { 'sku-1': { sale: [{ percent: '12.34567' }] } } }, 'products.sku-1.sale[0].percent'],
    [{ products: { 'sku-1': { sale: [{ percent: 12 }] } } }, 'products.sku-1.sale[0].percent'],
    [{ default: { sale: [], lead: [{ flat: 1 }, { flat: -1 }] } }, 'default.lead[1].flat'],
    [{ default: { sale: [{ flat: 1.5 }] } }, 'default.sale[0].flat'],
    // flat x the largest quantity must stay exact: at most 10^9 per unit.
    [{ default: { sale: [{ percent: '1' }, { flat: 1_000_000_001 }] } }, 'default.sale[1].flat'],
    [{ default: { sale: [{}] } }, 'default.sale[0]'],
    [{ default: { sale: [{ percent: '1', bonus: 2 }] } }, 'default.sale[0].bonus'],
    [{ default: { sale: [{ flat: 1 }, { flat: 1 }, { flat: 1 }, { flat: 1 }] } }, 'default.sale'],
    [{ default: { sale: [], maxRenewals: -1 } }, 'default.maxRenewals'],
    [{ default: { lead: [] } }, 'default.sale'],
    [{ default: { sale: [], extra: true } }, 'default.extra'],
    [{ priority: 1.5 }, 'priority'],
    [{ name: '' }, 'name'],
    [{ products: [] }, 'products'],
  ])('reports %j at %s', (change, path) => {
    expect(validateProgram({ ...valid, ...change }).map((error) => error.path)).toEqual([path]);
  });
});

describe('chooseRule', () => {
  const productRule = aRule({ sale: [{ percent: '30' }] });
  const defaultRule = aRule({ sale: [{ percent: '10' }] });

  it("prefers the program's product rule over its default rule", () => {
    const programs = byId(aProgram('a', { default: defaultRule, products: { premium: productRule } }));
    expect(chooseRule(['a'], programs, 'premium')).toEqual({
      program: programs.get('a'),
      rule: productRule,
      ruleKind: 'product',
    });
    expect(chooseRule(['a'], programs, 'trial')?.ruleKind).toBe('default');
  });

  it('takes the lowest priority number first, even over assignment order', () => {
    const programs = byId(
      aProgram('late', { priority: 1, products: { premium: aRule({ sale: [{ percent: '40' }] }) } }),
      aProgram('early', { priority: 5, products: { premium: productRule } }),
    );
    expect(chooseRule(['early', 'late'], programs, 'premium')?.program.id).toBe('late');
  });

  it('breaks priority ties by assignment order', () => {
    const programs = byId(aProgram('x', { default: defaultRule }), aProgram('y', { default: productRule }));
    expect(chooseRule(['y', 'x'], programs, 'any')?.program.id).toBe('y');
    expect(chooseRule(['x', 'y'], programs, 'any')?.program.id).toBe('x');
  });

  it("lets a higher-priority program's default rule win over a lower one's product rule", () => {
    const programs = byId(
      aProgram('general', { priority: 0, default: defaultRule }),
      aProgram('special', { priority: 9, products: { premium: productRule } }),
    );
    expect(chooseRule(['special', 'general'], programs, 'premium')).toMatchObject({
      program: { id: 'general' },
      ruleKind: 'default',
    });
  });

  it('skips programs with no rule for the product and unknown program ids', () => {
    const programs = byId(
      aProgram('narrow', { priority: 0, products: { other: productRule } }),
      aProgram('wide', { priority: 1, default: defaultRule }),
    );
    expect(chooseRule(['missing', 'narrow', 'wide'], programs, 'premium')?.program.id).toBe('wide');
    expect(chooseRule(['narrow'], programs, 'premium')).toBeNull();
    expect(chooseRule([], programs, 'premium')).toBeNull();
  });
});

describe('ratesFor', () => {
  it('uses renewal rates for renewals, defaulting to sale rates, and lead rates for the lead role', () => {
    const rule = aRule({ sale: [{ percent: '10' }], renewal: [{ percent: '3' }], lead: [{ flat: 5 }] });
    expect(ratesFor(rule, 'sale', true)).toEqual([{ percent: '3' }]);
    expect(ratesFor(rule, 'sale', false)).toEqual([{ percent: '10' }]);
    expect(ratesFor(aRule({ sale: [{ percent: '10' }] }), 'sale', true)).toEqual([{ percent: '10' }]);
    expect(ratesFor(rule, 'lead', true)).toEqual([{ flat: 5 }]);
    expect(ratesFor(aRule(), 'lead', false)).toEqual([]);
  });
});
