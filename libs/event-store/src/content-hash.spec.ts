import fc from 'fast-check';
import { canonicalJson, eventContentHash } from './content-hash';

/** The definition: JSON.stringify with every object's keys sorted and undefined members left out. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves undefined members out', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: undefined, e: 'x' }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"e":"x"}]},"b":1}',
    );
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('writes any JSON value as the reference definition does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.object(), (json, object) => {
        expect(canonicalJson(json)).toBe(reference(json));
        expect(canonicalJson(object)).toBe(reference(object));
      }),
      { numRuns: 500 },
    );
  });
});

describe('content hash', () => {
  it('serialises with keys in code-unit order, skipping undefined members', () => {
    const value = {
      b: [1, { d: undefined, c: 'x"y' }, null],
      a: { é: 1, Z: 2, 'a b': true },
      u: undefined,
      n: -0.5,
    };
    expect(canonicalJson(value)).toBe('{"a":{"Z":2,"a b":true,"é":1},"b":[1,{"c":"x\\"y"},null],"n":-0.5}');
  });

  it('keeps the hashes of stored events (same text, same SHA-256)', () => {
    const data = { partnerId: 'p-1', visitorId: 'visitor-1', ip: '10.0.0.1' };
    expect(eventContentHash('visitor-1', 'LinkClicked', data, '2025-01-01T00:00:00Z')).toBe(
      '4604620200f4621415d3a4f0b1c6789b0b741eb0d1faa0a52c2a73cf88c124af',
    );
  });
});
