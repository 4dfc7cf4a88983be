/**
 * What a partner email says. The details are decided by the projection from the log; the text is
 * rendered when it is sent (with the Partner Center address of the running service). Nothing about the
 * buyer is included: no name, email address, contact id or order id (the merchant's customers are not
 * the partner's to contact), only what happened, when, the products and the commission.
 */
import { type CommissionLevel, type CommissionRole, formatMoney } from '@app/domain';

export interface SaleLine {
  readonly commissionId: string;
  readonly productId: string;
  readonly quantity: number;
  readonly role: CommissionRole;
  readonly level: CommissionLevel;
  readonly amountMinor: number;
}

export type NotificationDetails =
  | {
      readonly kind: 'lead';
      readonly partnerName: string;
      readonly partnerCode: string;
      readonly occurredAt: string;
      /** The merchant's web form, when the opt-in named one. */
      readonly formId: string | null;
    }
  | {
      readonly kind: 'sale';
      readonly partnerName: string;
      readonly partnerCode: string;
      readonly occurredAt: string;
      readonly currency: string;
      readonly totalMinor: number;
      readonly renewalNumber: number | null;
      readonly lines: readonly SaleLine[];
    };

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
}

export function subjectOf(details: NotificationDetails): string {
  return details.kind === 'lead'
    ? 'A contact you referred signed up'
    : `You earned ${formatMoney(details.totalMinor, details.currency)} in commission`;
}

const LEVEL_NAMES: Record<CommissionLevel, string> = {
  1: 'your sale',
  2: 'a sale by your recruit',
  3: 'a sale two levels down',
};

export function renderEmail(details: NotificationDetails, partnerCenterUrl: string): RenderedEmail {
  const when = `${details.occurredAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC`;
  const lines: string[] = [`Hello ${details.partnerName},`, ''];
  if (details.kind === 'lead') {
    lines.push(
      `A contact you referred opted in${details.formId ? ` through the form "${details.formId}"` : ''} on ${when}.`,
      'You will see any sale they make, and your commission on it, in the Partner Center.',
    );
  } else {
    lines.push(
      `A sale${details.renewalNumber ? ` (renewal ${details.renewalNumber})` : ''} was collected on ${when} and earned you ${formatMoney(details.totalMinor, details.currency)}:`,
      '',
      ...details.lines.map(
        (line) =>
          `- ${line.productId} x ${line.quantity}: ${formatMoney(line.amountMinor, details.currency)} (${line.role === 'lead' ? 'lead commission' : 'commission'} on ${LEVEL_NAMES[line.level]})`,
      ),
    );
  }
  lines.push(
    '',
    `Partner Center: ${partnerCenterUrl}`,
    '',
    `(Partner code ${details.partnerCode}. You can turn these emails off in the Partner Center.)`,
  );
  return { subject: subjectOf(details), text: lines.join('\n') };
}
