/**
 * Checks an uploaded banner by its bytes, not by its name or declared type: PNG, JPEG and GIF by their
 * signatures (with the pixel size read from the header), SVG as UTF-8 XML with an <svg> root. SVG is
 * refused rather than sanitised when it could run or fetch anything: scripts, event-handler
 * attributes, foreign content (foreignObject, iframe, embed, object, HTML namespaces), DOCTYPE or
 * entities, `javascript:`, and references outside the file (href, xlink:href, CSS url() or @import
 * other than `#fragment`).
 */

export const BANNER_MAX_BYTES = 512 * 1024;

export const BANNER_TYPES = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
} as const;
export type BannerContentType = keyof typeof BANNER_TYPES;

export type SniffResult =
  | { ok: true; contentType: BannerContentType; width: number | null; height: number | null }
  | { ok: false; reason: string };

export function sniffBanner(bytes: Buffer): SniffResult {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  if (bytes.length > BANNER_MAX_BYTES) {
    return { ok: false, reason: `the file is larger than ${BANNER_MAX_BYTES} bytes` };
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return bad('PNG');
    return image('image/png', bytes.readUInt32BE(16), bytes.readUInt32BE(20));
  }
  const gif = bytes.toString('latin1', 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') {
    if (bytes.length < 10) return bad('GIF');
    return image('image/gif', bytes.readUInt16LE(6), bytes.readUInt16LE(8));
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    const size = jpegSize(bytes);
    return size ? image('image/jpeg', size.width, size.height) : bad('JPEG');
  }
  return sniffSvg(bytes);
}

function image(contentType: BannerContentType, width: number, height: number): SniffResult {
  if (width <= 0 || height <= 0 || width > 20_000 || height > 20_000) {
    return { ok: false, reason: 'the image has no plausible size' };
  }
  return { ok: true, contentType, width, height };
}

const bad = (kind: string): SniffResult => ({
  ok: false,
  reason: `the ${kind} file is truncated or damaged`,
});

function startsWith(bytes: Buffer, signature: number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

/** The frame size from the first SOFn marker. */
function jpegSize(bytes: Buffer): { width: number; height: number } | null {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes.readUInt8(offset + 1);
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      offset += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    offset += 2 + length;
  }
  return null;
}

const SVG_REFUSED: readonly [RegExp, string][] = [
  [/<!DOCTYPE|<!ENTITY/i, 'a DOCTYPE or entity declaration'],
  [/<\s*([a-z0-9_-]+:)?script\b/i, 'a script'],
  [
    /<\s*([a-z0-9_-]+:)?(foreignObject|iframe|embed|object|audio|video|canvas|html|body|a)\b/i,
    'foreign or active content',
  ],
  [/\son[a-z]+\s*=/i, 'an event-handler attribute'],
  [/javascript\s*:|vbscript\s*:/i, 'a script URL'],
  [/\bhref\s*=\s*(?:["'](?!\s*#)|(?!["'#]))/i, 'a reference outside the file'],
  [/url\s*\(\s*(?:["'](?!\s*#)|(?!["'#]))/i, 'a CSS reference outside the file'],
  [/@import/i, 'a CSS import'],
  [/<\?xml-stylesheet/i, 'a stylesheet'],
  [
    /xmlns(:[a-z0-9_-]+)?\s*=\s*["'](?!http:\/\/www\.w3\.org\/2000\/svg["']|http:\/\/www\.w3\.org\/1999\/xlink["'])/i,
    'a foreign namespace',
  ],
];

function sniffSvg(bytes: Buffer): SniffResult {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\uFFFD') || text.includes('\u0000')) {
    return { ok: false, reason: 'the file is not a PNG, JPEG, GIF or SVG image' };
  }
  const body = text
    .replace(/^\uFEFF/, '')
    .replace(/^\s*<\?xml[^>]*\?>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trimStart();
  const root = /^<svg\b([^>]*)>/i.exec(body);
  if (!root) return { ok: false, reason: 'the file is not a PNG, JPEG, GIF or SVG image' };
  for (const [pattern, what] of SVG_REFUSED) {
    if (pattern.test(text)) return { ok: false, reason: `SVG with ${what} is refused` };
  }
  const attrs = root[1] ?? '';
  const attr = (name: string) =>
    new RegExp(`\\s${name}\\s*=\\s*["']\\s*([0-9.]+)(px)?\\s*["']`, 'i').exec(attrs)?.[1];
  let width = attr('width') === undefined ? NaN : Number(attr('width'));
  let height = attr('height') === undefined ? NaN : Number(attr('height'));
  const viewBox = /\sviewBox\s*=\s*["']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*["']/i.exec(
    attrs,
  );
  if ((Number.isNaN(width) || Number.isNaN(height)) && viewBox) {
    width = Number(viewBox[1]);
    height = Number(viewBox[2]);
  }
  const known = Number.isFinite(width) && Number.isFinite(height) && width > 0 && height > 0;
  return {
    ok: true,
    contentType: 'image/svg+xml',
    width: known ? Math.round(width) : null,
    height: known ? Math.round(height) : null,
  };
}

/** The email copy's placeholder, as admins write it (spaces inside the braces allowed). */
export const TRACKING_URL_PLACEHOLDER = /\{\{\s*trackingUrl\s*\}\}/g;

export function fillTrackingUrl(text: string, url: string): string {
  return text.replace(TRACKING_URL_PLACEHOLDER, url);
}

export function hasTrackingUrlPlaceholder(text: string): boolean {
  return new RegExp(TRACKING_URL_PLACEHOLDER.source).test(text);
}
