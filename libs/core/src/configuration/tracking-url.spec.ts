import { trackingUrl } from './tracking-url';

describe('trackingUrl', () => {
  it('is {publicBaseUrl}/r/{codePrefix}{partnerCode}/{linkCode}', () => {
    expect(trackingUrl('https://t.example.com', 'rp-', 'jane', 'spring')).toBe(
      'https://t.example.com/r/rp-jane/spring',
    );
  });

  it('adds ?ad={adId} for an ad, keeping ":" readable', () => {
    expect(trackingUrl('https://t.example.com/', '', 'jane', 'spring', 'ad:1')).toBe(
      'https://t.example.com/r/jane/spring?ad=ad:1',
    );
  });

  it('encodes characters that would break the URL', () => {
    expect(trackingUrl('https://t.example.com', '', 'a b', 'x/y', 'q&r')).toBe(
      'https://t.example.com/r/a%20b/x%2Fy?ad=q%26r',
    );
  });
});
