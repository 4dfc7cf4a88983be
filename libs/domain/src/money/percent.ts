// Percentages as exact integers in parts per million of the base (100% = 1_000_000), parsed from
// decimal strings such as "12.5" (0..100, at most 4 decimals) without touching floating point.
export const PPM_PER_PERCENT = 10_000;
export const PPM_HUNDRED_PERCENT = 100 * PPM_PER_PERCENT;

const PERCENT_TEXT = /^(\d{1,3})(?:\.(\d{1,4}))?$/;

/** Parts per million for a valid percent string, or null when the text is malformed or above 100. */
export function parsePercent(text: string): number | null {
  const match = PERCENT_TEXT.exec(text);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(4, '0'));
  const ppm = whole * PPM_PER_PERCENT + fraction;
  return ppm <= PPM_HUNDRED_PERCENT ? ppm : null;
}

export function isValidPercent(text: string): boolean {
  return parsePercent(text) !== null;
}

/** Shortest decimal string for parts per million: 125000 -> "12.5". */
export function formatPercent(ppm: number): string {
  const whole = Math.trunc(ppm / PPM_PER_PERCENT);
  const fraction = String(ppm % PPM_PER_PERCENT)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}
