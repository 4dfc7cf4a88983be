/**
 * Documents request classes from their class-validator rules, so that the OpenAPI document states the
 * limits the pipe enforces (types, integers, enums, patterns, lengths, ranges, required fields) without
 * repeating them in @ApiProperty. What an @ApiProperty says explicitly wins; the rules fill in the rest.
 * Works for bodies and for query classes alike (Nest builds query parameters from the same metadata).
 */
import { getMetadataStorage } from 'class-validator';
import { RESOURCE_ID } from '@app/domain';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

const MODEL_PROPERTIES = 'swagger/apiModelProperties';
const MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';

type Schema = Record<string, unknown>;
type Constructor = abstract new (...args: never[]) => unknown;

/** What the custom validators of this project mean as JSON Schema. */
const CUSTOM: Record<string, Schema> = {
  isResourceId: { type: 'string', pattern: RESOURCE_ID.source },
  isPartnerCode: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' },
  isLinkCode: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' },
  isHttpUrl: { type: 'string', format: 'uri', maxLength: 2048 },
  isKnownCurrency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' },
  isTimeZone: { type: 'string', description: 'IANA time zone' },
  isNotBlank: { type: 'string', minLength: 1 },
  isReportDay: { type: 'string', format: 'date' },
  isDay: { type: 'string', format: 'date' },
  isInstant: { type: 'string', format: 'date-time' },
  isLogPosition: { type: 'string', pattern: '^\\d+-\\d+$' },
};

function fromRule(meta: ValidationMetadata): Schema {
  const c = (meta.constraints ?? []) as unknown[];
  switch (meta.name) {
    case 'isString':
      return { type: 'string' };
    case 'isInt':
      return { type: 'integer' };
    case 'isNumber':
      return { type: 'number' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isArray':
      return { type: 'array' };
    case 'isObject':
      return { type: 'object' };
    case 'isIn': {
      const values = [...(c[0] as unknown[])];
      const type = values.every((v) => typeof v === 'string')
        ? 'string'
        : values.every((v) => Number.isInteger(v))
          ? 'integer'
          : undefined;
      return { enum: values, ...(type ? { type } : {}) };
    }
    case 'matches':
      return { type: 'string', pattern: (c[0] as RegExp).source };
    case 'isLength':
      return { type: 'string', minLength: c[0], ...(c[1] === undefined ? {} : { maxLength: c[1] }) };
    case 'maxLength':
      return { type: 'string', maxLength: c[0] };
    case 'minLength':
      return { type: 'string', minLength: c[0] };
    case 'min':
      return { minimum: c[0] };
    case 'max':
      return { maximum: c[0] };
    case 'notEquals':
      return { not: { const: c[0] } };
    case 'arrayMinSize':
      return { type: 'array', minItems: c[0] };
    case 'arrayMaxSize':
      return { type: 'array', maxItems: c[0] };
    case 'arrayUnique':
      return { type: 'array', uniqueItems: true };
    case 'isEmail':
      return { type: 'string', format: 'email' };
    case 'isRFC3339':
      return { type: 'string', format: 'date-time' };
    case 'isIp':
      return { type: 'string', description: 'An IPv4 or IPv6 address' };
    case undefined:
      return {};
    default:
      return CUSTOM[meta.name] ?? {};
  }
}

/** Merges b into a; descriptions are joined, enums stay. */
function merge(a: Schema, b: Schema): Schema {
  const merged = { ...a, ...b };
  const [first, second] = [a['description'], b['description']];
  if (typeof first === 'string' && typeof second === 'string' && first !== second)
    merged['description'] = `${first}; ${second}`;
  return merged;
}

/** The nested class a property holds, from class-transformer's @Type. */
function nestedType(target: Constructor, property: string): Constructor | undefined {
  // class-transformer keeps @Type in a storage its public API does not export.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
    defaultMetadataStorage: {
      findTypeMetadata(
        target: Constructor,
        property: string,
      ): { typeFunction: () => Constructor } | undefined;
    };
  };
  return defaultMetadataStorage.findTypeMetadata(target, property)?.typeFunction();
}

/** The swagger property metadata the rules of one property imply. */
function derived(target: Constructor, property: string, rules: ValidationMetadata[]): Schema {
  let own: Schema = {};
  let items: Schema = {};
  let optional = false;
  for (const rule of rules) {
    if (rule.type === 'conditionalValidation') optional = true;
    const schema = fromRule(rule);
    if (rule.each) items = merge(items, schema);
    else own = merge(own, schema);
  }
  const nested = rules.some((r) => r.type === 'nestedValidation') ? nestedType(target, property) : undefined;
  if (own['type'] === 'array' || Object.keys(items).length > 0 || (nested && own['type'] === 'array')) {
    const { type: _type, ...arrayRules } = own;
    return nested
      ? { ...arrayRules, type: nested, isArray: true, required: !optional }
      : { ...arrayRules, type: 'array', items, required: !optional };
  }
  if (nested) return { ...own, type: nested, required: !optional };
  const type =
    own['type'] ?? (Reflect.getMetadata('design:type', target.prototype as object, property) as unknown);
  return { ...own, type, required: !optional };
}

let documented = false;

/** Adds the rules of every validated class to its swagger metadata (once per process). */
export function documentValidatedClasses(): void {
  if (documented) return;
  documented = true;
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<Constructor, ValidationMetadata[]>;
  };
  for (const [target, metadatas] of storage.validationMetadatas) {
    if (typeof target !== 'function') continue;
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const meta of metadatas) {
      if (!meta.propertyName) continue;
      byProperty.set(meta.propertyName, [...(byProperty.get(meta.propertyName) ?? []), meta]);
    }
    const prototype = target.prototype as object;
    for (const [property, rules] of byProperty) {
      const fromRules = derived(target, property, rules);
      const explicit = Reflect.getOwnMetadata(MODEL_PROPERTIES, prototype, property) as Schema | undefined;
      const merged: Schema = { ...fromRules, ...(explicit ?? {}) };
      // An explicit @ApiProperty without a type got the TypeScript type (Number for integers too).
      const explicitType = explicit?.['type'];
      if (
        (explicitType === Number || explicitType === Object || explicitType === 'number') &&
        fromRules['type']
      )
        merged['type'] = fromRules['type'];
      if (explicit?.['items'] === undefined && fromRules['items']) merged['items'] = fromRules['items'];
      Reflect.defineMetadata(MODEL_PROPERTIES, merged, prototype, property);
      const names = (Reflect.getMetadata(MODEL_PROPERTIES_ARRAY, prototype) as string[] | undefined) ?? [];
      if (!names.includes(`:${property}`))
        Reflect.defineMetadata(MODEL_PROPERTIES_ARRAY, [...names, `:${property}`], prototype);
    }
  }
}
