/**
 * The ledger report as CSV (RFC 4180): the same rows and columns as the JSON answer. Text cells that a
 * spreadsheet would run as a formula are neutralised; amounts stay numbers (see csv.ts).
 */
import type { INestApplicationContext } from '@nestjs/common';
import { validatePlain } from '@app/platform';
import { csvDocument } from '../shared/csv';
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

export function ledgerCsv(rows: readonly LedgerReportRow[]): string {
  return csvDocument(
    LEDGER_CSV_COLUMNS,
    rows.map((row) => LEDGER_CSV_COLUMNS.map((column) => row[column])),
  );
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
