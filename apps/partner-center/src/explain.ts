/**
 * "Why was I paid": a commission's attribution and rate in words, e.g. "cookie from your click on link
 * Spring, 5 Jan 09:00, last referring partner, 10% of $97.00". Plain functions, unit-tested.
 */
import type { Commission, LedgerEntry } from './api';
import { money, shortTime } from './format';

export interface ExplainContext {
  currency: string;
  timezone: string;
  linkName: (linkId: string) => string;
}

const SOURCES: Record<string, string> = {
  click: 'a click',
  'opt-in': 'an opt-in',
  purchase: 'an earlier purchase',
  manual: 'a referral recorded by the merchant',
};

export function explainCommission(commission: Commission, context: ExplainContext): string {
  const { attribution: a } = commission;
  const whose = commission.level === 1 && !commission.unused ? 'your' : 'their';
  const at = (instant: string | undefined) => (instant ? `, ${shortTime(instant, context.timezone)}` : '');
  const link = a.linkId ? ` on link ${context.linkName(a.linkId)}` : '';
  let how: string;
  switch (a.method) {
    case 'cookie':
      how = `cookie from ${whose} click${link}${at(a.clickedAt)}`;
      break;
    case 'ip':
      how = `IP address match with ${whose} click${link}${at(a.clickedAt)}`;
      break;
    case 'history':
      how = `referral history from ${SOURCES[a.referralSource ?? ''] ?? 'a referral'}${at(a.referralSetAt)}`;
      break;
    case 'explicit':
      how = commission.level === 1 ? 'you were named on the order' : 'the partner was named on the order';
      break;
  }
  const parts = [how, `${a.rule} referring partner`];
  if (commission.unused) {
    parts.unshift(`level ${commission.level} share with no partner at that level, paid to you`);
  } else if (commission.level > 1) {
    parts.unshift(`level ${commission.level}: a ${commission.role} by a partner you recruited`);
  } else if (commission.role === 'lead') {
    parts.unshift('lead commission');
  }
  if (commission.renewalNumber !== null) parts.push(`renewal ${commission.renewalNumber}`);
  const { rate } = commission;
  if (rate.percent !== null) {
    parts.push(`${rate.percent}% of ${money(commission.base, context.currency)}`);
  } else if (rate.flat !== null) {
    const each = money(rate.flat, context.currency);
    parts.push(commission.quantity > 1 ? `${each} flat x ${commission.quantity}` : `${each} flat`);
  }
  return parts.join(', ');
}

/** Any ledger entry in words; commissions get their explanation when it is known. */
export function explainEntry(
  entry: LedgerEntry,
  commission: Commission | undefined,
  context: ExplainContext,
): string {
  switch (entry.type) {
    case 'commission':
      return commission
        ? explainCommission(commission, context)
        : `commission on ${entry.productId ?? 'a sale'}`;
    case 'clawback':
      return `refund of ${entry.productId ?? 'a sale'}: part of the commission is taken back`;
    case 'payment':
      return `payment by ${entry.paymentType ?? 'payment'}${entry.batchId ? ` (batch ${entry.batchId})` : ''}`;
    case 'adjustment':
      return `adjustment: ${entry.reason ?? ''}`;
  }
}
