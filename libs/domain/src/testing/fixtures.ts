// Builders for specs: small defaults, overridden where a test cares.
import type { Partner } from '../partners/partner';
import type { Program, Rule } from '../programs/program';
import type { Settings } from '../settings/settings';
import { normalizeSettings } from '../settings/settings';

export function aPartner(id: string, overrides: Partial<Partner> = {}): Partner {
  return {
    id,
    code: id.toUpperCase(),
    name: `Partner ${id}`,
    email: `${id}@partners.example`,
    parentId: null,
    programIds: ['standard'],
    status: 'active',
    leadCookieDays: 30,
    notifyOnLead: false,
    notifyOnSale: false,
    ...overrides,
  };
}

export function aProgram(id: string, overrides: Partial<Omit<Program, 'id'>> = {}): Program {
  return { id, name: `Program ${id}`, notes: null, priority: 0, default: null, products: {}, ...overrides };
}

export function aRule(overrides: Partial<Rule> = {}): Rule {
  return { sale: [{ percent: '10' }], ...overrides };
}

export function settingsWith(overrides: Partial<Settings> = {}): Settings {
  return { ...normalizeSettings({}), ...overrides };
}

export function byId<T extends { id: string }>(...items: T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}
