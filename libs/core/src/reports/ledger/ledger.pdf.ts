/**
 * Printable partner ledgers (seed 002: "print referral partner ledgers ... to include a copy with your
 * payment"), drawn with pdf-lib from the same PartnerLedger the JSON endpoint answers: the period, the
 * six totals and every entry with the balance after it. Each ledger starts on a page of its own.
 */
import { formatLocalTime, formatMoney } from '@app/domain';
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts, rgb } from 'pdf-lib';
import type { PartnerLedger, PartnerLedgerEntry } from './ledger.query';

export interface LedgerPdfPage {
  readonly ledger: PartnerLedger;
  readonly partnerName: string;
  readonly timezone: string;
  /** E.g. "Payment batch Batch-20260215: paid $9.70 by check on 2026-02-15". */
  readonly note?: string;
}

/** What an entry is, in words, as printed in the Entry column. */
export function describeEntry(entry: PartnerLedgerEntry): string {
  switch (entry.type) {
    case 'commission':
      return `Commission, ${entry.role ?? 'sale'} level ${entry.level ?? 1}: ${entry.productId ?? ''} (attempt ${entry.attemptId ?? ''})`;
    case 'clawback':
      return `Clawback for refund ${entry.refundId ?? ''}: ${entry.productId ?? ''} (attempt ${entry.attemptId ?? ''})`;
    case 'payment':
      return `Payment by ${entry.paymentType ?? 'payment'}${entry.batchId ? `, batch ${entry.batchId}` : ''}`;
    case 'adjustment':
      return `Adjustment: ${entry.reason ?? ''}`;
    default:
      return entry.type;
  }
}

/** The standard fonts encode WinAnsi only: other characters are printed as "?". */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

const PAGE: [number, number] = [612, 792];
const MARGIN = 48;
const COLUMNS = { date: MARGIN, entry: MARGIN + 96, amount: 470, balance: 564 };

class Writer {
  page!: PDFPage;
  y = 0;

  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {}

  newPage(): void {
    this.page = this.doc.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  text(
    text: string,
    x: number,
    options: { size?: number; bold?: boolean; right?: boolean; max?: number } = {},
  ) {
    const size = options.size ?? 9;
    const font = options.bold ? this.bold : this.font;
    let value = printable(text);
    if (options.max !== undefined) {
      while (value.length > 1 && font.widthOfTextAtSize(value, size) > options.max)
        value = value.slice(0, -1);
      if (value !== printable(text)) value = `${value.slice(0, -1)}.`;
    }
    const width = font.widthOfTextAtSize(value, size);
    this.page.drawText(value, {
      x: options.right ? x - width : x,
      y: this.y,
      size,
      font,
      color: rgb(0.1, 0.1, 0.12),
    });
  }

  rule(): void {
    this.page.drawLine({
      start: { x: MARGIN, y: this.y + 3 },
      end: { x: PAGE[0] - MARGIN, y: this.y + 3 },
      thickness: 0.5,
      color: rgb(0.6, 0.6, 0.65),
    });
  }

  down(by: number): void {
    this.y -= by;
  }
}

function drawHeader(w: Writer, page: LedgerPdfPage, continued: boolean): void {
  const { ledger } = page;
  w.text(`Referral partner ledger${continued ? ' (continued)' : ''}`, MARGIN, { size: 16, bold: true });
  w.down(20);
  w.text(`${page.partnerName} (${ledger.partnerCode})`, MARGIN, { size: 11, bold: true });
  w.down(14);
  w.text(`Period ${ledger.from} to ${ledger.to} (${page.timezone}), amounts in ${ledger.currency}`, MARGIN, {
    size: 9,
  });
  w.down(18);
}

function drawTableHead(w: Writer): void {
  w.text('Date', COLUMNS.date, { bold: true });
  w.text('Entry', COLUMNS.entry, { bold: true });
  w.text('Amount', COLUMNS.amount, { bold: true, right: true });
  w.text('Balance', COLUMNS.balance, { bold: true, right: true });
  w.down(4);
  w.rule();
  w.down(12);
}

function drawLedger(w: Writer, page: LedgerPdfPage): void {
  const { ledger } = page;
  const money = (minor: number) => formatMoney(minor, ledger.currency);
  w.newPage();
  drawHeader(w, page, false);
  if (page.note) {
    w.text(page.note, MARGIN, { size: 9, max: PAGE[0] - 2 * MARGIN });
    w.down(18);
  }
  const totals: [string, number][] = [
    ['Beginning balance', ledger.beginningBalance],
    ['Commissions', ledger.commissions],
    ['Clawbacks', -ledger.clawbacks],
    ['Adjustments', ledger.adjustments],
    ['Payments', -ledger.payments],
    ['Ending balance', ledger.endingBalance],
  ];
  for (const [label, value] of totals) {
    const last = label === 'Ending balance';
    w.text(label, MARGIN, { size: 10, bold: last });
    w.text(money(value), MARGIN + 230, { size: 10, bold: last, right: true });
    w.down(14);
  }
  w.down(10);
  drawTableHead(w);
  w.text(ledger.from, COLUMNS.date);
  w.text('Beginning balance', COLUMNS.entry);
  w.text(money(ledger.beginningBalance), COLUMNS.balance, { right: true });
  w.down(13);
  for (const entry of ledger.entries) {
    if (w.y < MARGIN + 30) {
      w.newPage();
      drawHeader(w, page, true);
      drawTableHead(w);
    }
    w.text(formatLocalTime(entry.occurredAt, page.timezone), COLUMNS.date);
    w.text(describeEntry(entry), COLUMNS.entry, { max: COLUMNS.amount - COLUMNS.entry - 70 });
    w.text(money(entry.amount), COLUMNS.amount, { right: true });
    w.text(money(entry.balance), COLUMNS.balance, { right: true });
    w.down(13);
  }
  if (ledger.entries.length === 0) {
    w.text('No entries in this period.', COLUMNS.entry);
    w.down(13);
  }
  w.rule();
  w.down(10);
  w.text(ledger.to, COLUMNS.date, { bold: true });
  w.text('Ending balance', COLUMNS.entry, { bold: true });
  w.text(money(ledger.endingBalance), COLUMNS.balance, { bold: true, right: true });
}

export async function ledgerPdf(pages: readonly LedgerPdfPage[], title: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(title));
  doc.setProducer('referral-ledger');
  doc.setCreator('referral-ledger');
  const writer = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  for (const page of pages) drawLedger(writer, page);
  if (pages.length === 0) {
    writer.newPage();
    writer.text('No ledgers.', MARGIN, { size: 12 });
  }
  return Buffer.from(await doc.save());
}
