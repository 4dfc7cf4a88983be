// Commission programs: rates per role and level, a default rule and product rules, and which rule applies.
import type { FieldError, Validated } from '../errors/field-error';
import { isPlainObject, joinPath } from '../errors/field-error';
import { MAX_FLAT_MINOR } from '../money/limits';
import { isValidPercent } from '../money/percent';

/** A flat amount per unit (minor units), a percentage of the line price, or both (added). */
export type Rate = { flat?: number; percent?: string };

/** Index 0 = level 1, 1 = level 2, 2 = level 3. */
export type Rates = Rate[];

export type Rule = {
  sale: Rates;
  lead?: Rates;
  /** Defaults to `sale`. */
  renewal?: Rates;
  /** Collected renewals that earn commission; null or absent = every renewal. */
  maxRenewals?: number | null;
};

export type Program = {
  id: string;
  name: string;
  notes: string | null;
  priority: number;
  default: Rule | null;
  products: Record<string, Rule>;
};

export type RuleKind = 'default' | 'product';

export type RuleChoice = { program: Program; rule: Rule; ruleKind: RuleKind };

export const MAX_LEVELS = 3;

/**
 * The rule that prices `productId` for a partner. The partner's programs are ordered by priority (lowest
 * number first; ties keep the order in which they were assigned) and the first program that has a rule
 * for the product wins: its product rule, else its default rule. So a higher-priority program's default
 * rule beats a lower-priority program's product rule; a program only "passes" when it has neither.
 */
export function chooseRule(
  partnerProgramIdsInAssignedOrder: readonly string[],
  programsById: ReadonlyMap<string, Program>,
  productId: string,
): RuleChoice | null {
  const programs = partnerProgramIdsInAssignedOrder
    .map((id) => programsById.get(id))
    .filter((program): program is Program => program !== undefined);
  // Array.prototype.sort is stable, which keeps assignment order for equal priorities.
  const byPriority = [...programs].sort((a, b) => a.priority - b.priority);
  for (const program of byPriority) {
    const productRule = Object.prototype.hasOwnProperty.call(program.products, productId)
      ? program.products[productId]
      : undefined;
    if (productRule) return { program, rule: productRule, ruleKind: 'product' };
    if (program.default) return { program, rule: program.default, ruleKind: 'default' };
  }
  return null;
}

/** Rates a role earns under a rule; renewals use the renewal rates (default: sale) for the sale role. */
export function ratesFor(rule: Rule, role: 'sale' | 'lead', renewal: boolean): Rates {
  if (role === 'lead') return rule.lead ?? [];
  return renewal ? (rule.renewal ?? rule.sale) : rule.sale;
}

/**
 * Checks a program body (already JSON) and returns it normalized: `notes` null, `priority` 0,
 * `default` null and `products` {} when absent.
 */
export function parseProgram(input: unknown): Validated<Program> {
  const errors: FieldError[] = [];
  if (!isPlainObject(input)) return { ok: false, errors: [{ path: '', message: 'must be an object' }] };
  const known = new Set(['id', 'name', 'notes', 'priority', 'default', 'products']);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) errors.push({ path: key, message: 'is not a program field' });
  }
  const { id, name, notes = null, priority = 0, products = {} } = input;
  const defaultRule = input.default ?? null;
  if (typeof id !== 'string' || id === '') errors.push({ path: 'id', message: 'must be a non-empty string' });
  if (typeof name !== 'string' || name.trim() === '') {
    errors.push({ path: 'name', message: 'must be a non-empty string' });
  }
  if (notes !== null && typeof notes !== 'string')
    errors.push({ path: 'notes', message: 'must be a string' });
  if (!Number.isSafeInteger(priority)) errors.push({ path: 'priority', message: 'must be an integer' });
  if (defaultRule !== null) errors.push(...ruleErrors(defaultRule, 'default'));
  if (!isPlainObject(products)) {
    errors.push({ path: 'products', message: 'must be an object keyed by product id' });
  } else {
    for (const [productId, rule] of Object.entries(products)) {
      const path = joinPath('products', productId);
      if (productId.trim() === '') errors.push({ path, message: 'product id must not be empty' });
      errors.push(...ruleErrors(rule, path));
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      id: id as string,
      name: name as string,
      notes: notes as string | null,
      priority: priority as number,
      default: defaultRule as Rule | null,
      products: products as Record<string, Rule>,
    },
  };
}

export function validateProgram(input: unknown): FieldError[] {
  const result = parseProgram(input);
  return result.ok ? [] : result.errors;
}

function ruleErrors(rule: unknown, path: string): FieldError[] {
  if (!isPlainObject(rule)) return [{ path, message: 'must be a rule object' }];
  const errors: FieldError[] = [];
  const known = new Set(['sale', 'lead', 'renewal', 'maxRenewals']);
  for (const key of Object.keys(rule)) {
    if (!known.has(key)) errors.push({ path: joinPath(path, key), message: 'is not a rule field' });
  }
  if (rule.sale === undefined) errors.push({ path: joinPath(path, 'sale'), message: 'is required' });
  for (const role of ['sale', 'lead', 'renewal'] as const) {
    if (rule[role] !== undefined) errors.push(...ratesErrors(rule[role], joinPath(path, role)));
  }
  const { maxRenewals } = rule;
  if (maxRenewals !== undefined && maxRenewals !== null) {
    if (!Number.isSafeInteger(maxRenewals) || (maxRenewals as number) < 0) {
      errors.push({ path: joinPath(path, 'maxRenewals'), message: 'must be an integer >= 0 or null' });
    }
  }
  return errors;
}

function ratesErrors(rates: unknown, path: string): FieldError[] {
  if (!Array.isArray(rates)) return [{ path, message: 'must be an array of rates (index 0 = level 1)' }];
  const errors: FieldError[] = [];
  if (rates.length > MAX_LEVELS) errors.push({ path, message: `must have at most ${MAX_LEVELS} levels` });
  rates.forEach((rate: unknown, index) => {
    const ratePath = joinPath(path, index);
    if (!isPlainObject(rate)) {
      errors.push({ path: ratePath, message: 'must be an object with flat and/or percent' });
      return;
    }
    for (const key of Object.keys(rate)) {
      if (key !== 'flat' && key !== 'percent') {
        errors.push({ path: joinPath(ratePath, key), message: 'is not a rate field' });
      }
    }
    const { flat, percent } = rate;
    if (flat === undefined && percent === undefined) {
      errors.push({ path: ratePath, message: 'must have flat, percent or both' });
    }
    if (
      flat !== undefined &&
      (!Number.isSafeInteger(flat) || (flat as number) < 0 || (flat as number) > MAX_FLAT_MINOR)
    ) {
      errors.push({
        path: joinPath(ratePath, 'flat'),
        message: `must be an integer from 0 to ${MAX_FLAT_MINOR} (minor units per unit)`,
      });
    }
    if (percent !== undefined && (typeof percent !== 'string' || !isValidPercent(percent))) {
      errors.push({
        path: joinPath(ratePath, 'percent'),
        message: 'must be a decimal string from "0" to "100" with at most 4 decimals',
      });
    }
  });
  return errors;
}
