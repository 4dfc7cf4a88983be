/**
 * CSV fields (RFC 4180) that are safe to open in a spreadsheet. A text cell starting with `=`, `+`,
 * `-`, `@`, a tab or a carriage return would be run as a formula (CSV injection), so it gets a leading
 * `'`, which spreadsheets show as text and do not evaluate. Numbers are written as they are: a negative
 * amount such as -485 stays a number, usable in sums; only text cells are neutralised.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

type Cell = string | number | null;

/** One CSV line (without its CRLF). */
function csvLine(values: readonly Cell[]): string {
  return values.map(csvCell).join(',');
}

/** A whole CSV document: the header line, one line per row, each ended by CRLF. */
export function csvDocument(columns: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const lines = [csvLine(columns)];
  for (const row of rows) lines.push(csvLine(row));
  return `${lines.join('\r\n')}\r\n`;
}
