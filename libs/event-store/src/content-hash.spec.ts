import { canonicalJson, eventContentHash } from './content-hash';

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
