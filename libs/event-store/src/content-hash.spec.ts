import fc from 'fast-check';
import { canonicalJson } from './content-hash';

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
