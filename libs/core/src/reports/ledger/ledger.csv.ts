/** The ledger report as CSV (RFC 4180): the same rows and columns as the JSON answer. */
import type { INestApplicationContext } from '@nestjs/common';
import { validatePlain } from '@app/platform';
import { LedgerReportHandler, LedgerReportQuery, type LedgerReportRow } from './ledger.query';
import { LedgerReportRequest } from './ledger.request';

export const LEDGER_CSV_COLUMNS = [
  'partnerId',
  'partnerCode',
  'beginningBalance',
  'commissions',
  'clawbacks',
  'adjustments',
  'payments',
  'endingBalance',
] as const satisfies readonly (keyof LedgerReportRow)[];

export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function ledgerCsv(rows: readonly LedgerReportRow[]): string {
  const lines = [LEDGER_CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(LEDGER_CSV_COLUMNS.map((column) => csvField(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The ledger report as CSV outside HTTP (the CLI): validated like the query string, no waitFor. */
export async function ledgerReportCsv(
  app: Pick<INestApplicationContext, 'get'>,
  request: { from: string; to: string; programId?: string | undefined; partnerId?: string | undefined },
): Promise<string> {
  const plain = Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
  const { value, errors } = validatePlain(LedgerReportRequest, plain, '');
  if (errors.length > 0) {
    throw new Error(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  }
  const report = await app.get(LedgerReportHandler).execute(new LedgerReportQuery(value));
  return ledgerCsv(report.rows);
}
