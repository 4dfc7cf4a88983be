import { BANNER_MAX_BYTES, fillTrackingUrl, hasTrackingUrlPlaceholder, sniffBanner } from './banner-file';

const png = (w: number, h: number) => {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  return b;
};
const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([0x2c, 0x01, 0xfa, 0x00, 0, 0])]);
const jpeg = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x3c, 0x01, 0xe0, 0x03,
  0, 0, 0, 0, 0, 0, 0, 0, 0,
]);
const svg = (inner = '', attrs = 'width="468" height="60"') =>
  Buffer.from(`<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" ${attrs}>${inner}</svg>`);

describe('sniffBanner', () => {
  it('recognises PNG, GIF and JPEG by their bytes and reads their size', () => {
    expect(sniffBanner(png(468, 60))).toEqual({ ok: true, contentType: 'image/png', width: 468, height: 60 });
    expect(sniffBanner(gif)).toEqual({ ok: true, contentType: 'image/gif', width: 300, height: 250 });
    expect(sniffBanner(jpeg)).toEqual({ ok: true, contentType: 'image/jpeg', width: 480, height: 60 });
  });

  it('accepts a plain SVG, with its size from width/height or the viewBox', () => {
    expect(sniffBanner(svg('<rect width="10" height="10" fill="#f00"/><use href="#r"/>'))).toEqual({
      ok: true,
      contentType: 'image/svg+xml',
      width: 468,
      height: 60,
    });
    expect(sniffBanner(svg('', 'viewBox="0 0 728 90"'))).toMatchObject({ width: 728, height: 90 });
  });

  it.each([
    ['<script>alert(1)</script>', 'a script'],
    ['<rect onload="alert(1)"/>', 'an event-handler attribute'],
    ['<foreignObject><div/></foreignObject>', 'foreign or active content'],
    ['<image href="https://evil.example/x.png"/>', 'a reference outside the file'],
    ['<image xlink:href="data:image/svg+xml;base64,AAAA"/>', 'a reference outside the file'],
    ['<style>rect { fill: url(https://evil.example/x) }</style>', 'a CSS reference outside the file'],
    ['<a xlink:href="javascript:alert(1)"/>', 'foreign or active content'],
  ])('refuses SVG with %s', (inner, what) => {
    expect(sniffBanner(svg(inner))).toEqual({ ok: false, reason: `SVG with ${what} is refused` });
  });

  it('refuses DOCTYPEs, foreign namespaces, other files, empty and oversized files', () => {
    expect(sniffBanner(Buffer.from('<!DOCTYPE svg [<!ENTITY x "y">]><svg></svg>')).ok).toBe(false);
    expect(sniffBanner(svg('', 'xmlns:h="http://www.w3.org/1999/xhtml"')).ok).toBe(false);
    expect(sniffBanner(Buffer.from('%PDF-1.7'))).toEqual({
      ok: false,
      reason: 'the file is not a PNG, JPEG, GIF or SVG image',
    });
    expect(sniffBanner(Buffer.from('<html><svg></svg></html>')).ok).toBe(false);
    expect(sniffBanner(Buffer.alloc(0)).ok).toBe(false);
    expect(sniffBanner(Buffer.concat([png(1, 1), Buffer.alloc(BANNER_MAX_BYTES)])).ok).toBe(false);
    expect(sniffBanner(png(0, 10)).ok).toBe(false);
  });
});

describe('email copy placeholder', () => {
  it('is found and filled in, spaces inside the braces allowed', () => {
    expect(hasTrackingUrlPlaceholder('Go to {{ trackingUrl }} now')).toBe(true);
    expect(hasTrackingUrlPlaceholder('no link')).toBe(false);
    expect(fillTrackingUrl('A {{trackingUrl}} B {{ trackingUrl }}', 'https://t/r/a/b')).toBe(
      'A https://t/r/a/b B https://t/r/a/b',
    );
  });
});
