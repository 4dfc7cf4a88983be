/**
 * fast-check arbitraries for hostile input: strings and numbers that break naive parsers and databases,
 * values invalid by construction for a given field, and mutations of a valid request body.
 */
import fc from 'fast-check';

/** Strings known to upset parsers, databases, templates or terminals. */
export const nastyString = fc.constantFrom(
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\udc00\ud800',
  "'; DROP TABLE events; --",
  "1' OR '1'='1",
  '" OR ""="',
  '$1',
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  '%00',
  '%ZZ',
  '%',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  'e\u0301',
  'ẞ',
  '🎉👩‍👩‍👧',
  '\ufeff',
  'NaN',
  'null',
  'undefined',
  'true',
  '-1',
  '1e309',
  '0x1F',
  ' 42',
  '1,5',
  '１２３',
);

export const hostileString = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`) },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 20_000 }).map((n) => 'A'.repeat(n)) },
);

/** Arrays nested up to well past the input depth limit. */
export const nestedArrays = fc.integer({ min: 1, max: 80 }).map((depth) => {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
});

export const nonString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  nestedArrays,
);

export const hostileValue = fc.oneof(hostileString, nonString);

/** What the value becomes on the wire (NaN and Infinity turn into null, -0 into 0). */
export function roundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify({ value })).value;
}

/** Any hostile value for which `valid` (applied after the JSON round trip) is false. */
export function invalidFor(valid: (value: unknown) => boolean): fc.Arbitrary<unknown> {
  return hostileValue.filter((value) => !valid(roundTrip(value)));
}

export const isBadText = (s: string) =>
  s.includes('\u0000') || /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/** A string whose length might pass a 1..max length check, however the validator counts characters. */
export const maybeLength = (max: number) => (v: unknown) =>
  typeof v === 'string' && v.length >= 1 && v.length <= 2 * max && !isBadText(v);

export const matching = (pattern: RegExp) => (v: unknown) =>
  typeof v === 'string' && pattern.test(v) && !isBadText(v);

export const integerIn = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Integers out of range, fractions, numbers as strings and everything else that is not an int in range. */
export function invalidInt(min: number, max: number): fc.Arbitrary<unknown> {
  return fc
    .oneof(
      fc.maxSafeInteger(),
      fc.double(),
      fc.constantFrom(min - 1, max + 1, 0.5, -0.5, 1e21, 2 ** 53 + 2, -(2 ** 53) - 2),
      fc.integer().map(String),
      hostileValue,
    )
    .filter((value) => !integerIn(min, max)(roundTrip(value)));
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys no request of the API has: unknown names, Object.prototype names, unicode, injection attempts. */
export const unknownKey = (known: readonly string[]) =>
  fc
    .oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        "x'; --",
        'a.b',
        'a[0]',
        '$where',
        '',
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
    )
    .filter((key) => !known.includes(key));

/** Sets `path` in a deep copy of `base` as an own property (so that "__proto__" stays a plain key). */
export function withValue(base: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as unknown;
  let target = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
  Object.defineProperty(target, path[path.length - 1]!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

export function without(base: unknown, path: readonly (string | number)[]): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as unknown;
  let target = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
  delete target[path[path.length - 1]!];
  return copy;
}

export interface FieldSpec {
  readonly path: readonly (string | number)[];
  readonly invalid: fc.Arbitrary<unknown>;
  readonly required?: boolean;
}

export interface Mutation {
  readonly description: string;
  readonly body: unknown;
}

/**
 * One change that makes a valid body invalid: a field set to a value invalid for it, a required field
 * removed, or an unknown key added at the top or inside an object field.
 */
export function mutations(
  base: Record<string, unknown>,
  fields: readonly FieldSpec[],
  objectsAt: readonly (readonly (string | number)[])[] = [[]],
): fc.Arbitrary<Mutation> {
  const wrong = fc.constantFrom(...fields).chain((field) =>
    field.invalid.map((value) => ({
      description: `${field.path.join('.')} = ${describe(value)}`,
      body: withValue(base, field.path, value),
    })),
  );
  const required = fields.filter((f) => f.required);
  const extra = fc.constantFrom(...objectsAt).chain((at) => {
    let holder: unknown = base;
    for (const step of at) holder = (holder as Record<string | number, unknown>)[step];
    const known = isObject(holder) ? Object.keys(holder) : [];
    return fc.tuple(unknownKey(known), hostileValue).map(([key, value]) => ({
      description: `unknown key ${JSON.stringify([...at, key].join('.'))}`,
      body: withValue(base, [...at, key], value),
    }));
  });
  if (required.length === 0) return fc.oneof({ weight: 3, arbitrary: wrong }, extra);
  const missing = fc.constantFrom(...required).map((field) => ({
    description: `without ${field.path.join('.')}`,
    body: without(base, field.path),
  }));
  return fc.oneof({ weight: 3, arbitrary: wrong }, missing, extra);
}

export function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}... (${text.length} chars)` : text;
}

/** encodeURIComponent, except that lone surrogates become bytes no UTF-8 decoder accepts. */
export function encodeLoosely(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((ch) => (/[\uD800-\uDFFF]/.test(ch) && ch.length === 1 ? '%ED%A0%80' : encodeURIComponent(ch)))
      .join('');
  }
}
