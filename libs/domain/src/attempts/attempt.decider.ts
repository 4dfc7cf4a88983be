// The purchase-attempt stream: its state folded from events, and the decisions on collect, decline, refund.
import { sameContent } from '../common/same-content';
import type { DecideCommissionsInput } from '../commissions/commission-calculator';
import { decideCommissions } from '../commissions/commission-calculator';
import { DomainRuleViolation } from '../errors/domain-rule-violation';
import type {
  AttemptAttributedData,
  CommissionEarnedData,
  EventOfType,
  PurchaseAttemptedData,
} from '../events/domain-events';
import { domainEvent } from '../events/domain-events';
import { assertCurrency, isMinorAmount, sumMinor, toMinor } from '../money/money';
import { decideClawbacks } from '../refunds/clawback';

export const ATTEMPT_EVENT_TYPES = [
  'PurchaseAttempted',
  'AttemptAttributed',
  'PaymentCollected',
  'PaymentDeclined',
  'CommissionEarned',
  'RefundIssued',
  'CommissionClawedBack',
] as const;

export type AttemptEvent = EventOfType<(typeof ATTEMPT_EVENT_TYPES)[number]>;

export type AttemptStatus = 'pending' | 'collected' | 'declined';

export type AttemptCommission = { commission: CommissionEarnedData; clawedBackMinor: number };

export type Attempt =
  | { status: 'none' }
  | {
      status: AttemptStatus;
      purchase: PurchaseAttemptedData;
      attribution: AttemptAttributedData | null;
      collectedMinor: number;
      refundedMinor: number;
      refunds: { refundId: string; amountMinor: number; currency: string }[];
      commissions: AttemptCommission[];
      declineReason: string | null;
    };

export type KnownAttempt = Exclude<Attempt, { status: 'none' }>;

export const initialAttempt: Attempt = { status: 'none' };

export function evolveAttempt(state: Attempt, event: AttemptEvent): Attempt {
  if (state.status === 'none') {
    if (event.type !== 'PurchaseAttempted') return state; // nothing is known before the attempt itself
    return {
      status: 'pending',
      purchase: event.data,
      attribution: null,
      collectedMinor: 0,
      refundedMinor: 0,
      refunds: [],
      commissions: [],
      declineReason: null,
    };
  }
  switch (event.type) {
    case 'PurchaseAttempted':
      return state;
    case 'AttemptAttributed':
      return { ...state, attribution: event.data };
    case 'PaymentCollected':
      return { ...state, status: 'collected', collectedMinor: event.data.amountMinor };
    case 'PaymentDeclined':
      return { ...state, status: 'declined', declineReason: event.data.reason };
    case 'CommissionEarned':
      return {
        ...state,
        commissions: [...state.commissions, { commission: event.data, clawedBackMinor: 0 }],
      };
    case 'RefundIssued':
      return {
        ...state,
        refundedMinor: state.refundedMinor + event.data.amountMinor,
        refunds: [
          ...state.refunds,
          {
            refundId: event.data.refundId,
            amountMinor: event.data.amountMinor,
            currency: event.data.currency,
          },
        ],
      };
    case 'CommissionClawedBack': {
      const { commissionId, clawedBackTotalMinor } = event.data;
      return {
        ...state,
        commissions: state.commissions.map((entry) =>
          entry.commission.commissionId === commissionId
            ? { ...entry, clawedBackMinor: clawedBackTotalMinor }
            : entry,
        ),
      };
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

export function foldAttempt(events: readonly AttemptEvent[]): Attempt {
  return events.reduce(evolveAttempt, initialAttempt);
}

export type RecordPurchase = {
  purchase: Omit<PurchaseAttemptedData, 'totalMinor'>;
  attribution: AttemptAttributedData;
  settingsCurrency: string;
};

/** Records a purchase attempt with its attribution decision. Re-sending the same attempt changes nothing. */
export function decidePurchase(state: Attempt, command: RecordPurchase): AttemptEvent[] {
  const { purchase } = command;
  assertCurrency(command.settingsCurrency, purchase.currency);
  if (purchase.items.length === 0) {
    throw new DomainRuleViolation('invalid-purchase', 'an attempt needs at least one item', 'items');
  }
  purchase.items.forEach((item, index) => {
    if (!isMinorAmount(item.quantity) || item.quantity < 1) {
      throw new DomainRuleViolation(
        'invalid-purchase',
        'quantity must be an integer >= 1',
        `items[${index}].quantity`,
      );
    }
    if (!isMinorAmount(item.unitPriceMinor) || item.unitPriceMinor < 0) {
      throw new DomainRuleViolation(
        'invalid-purchase',
        'unit price must be an integer >= 0',
        `items[${index}].unitPrice`,
      );
    }
  });
  if (purchase.kind !== 'order' && purchase.subscriptionId === null) {
    throw new DomainRuleViolation(
      'invalid-purchase',
      `a ${purchase.kind} needs a subscriptionId`,
      'subscriptionId',
    );
  }
  if (command.attribution.attemptId !== purchase.attemptId) {
    throw new RangeError('attribution belongs to another attempt');
  }
  const totalMinor = sumMinor(
    purchase.items.map((item) => toMinor(BigInt(item.unitPriceMinor) * BigInt(item.quantity))),
  );
  const data: PurchaseAttemptedData = { ...purchase, totalMinor };

  if (state.status !== 'none') {
    if (sameContent(state.purchase, data)) return [];
    throw new DomainRuleViolation(
      'attempt-exists',
      `attempt ${purchase.attemptId} exists with other content`,
      'attemptId',
    );
  }
  return [domainEvent('PurchaseAttempted', data), domainEvent('AttemptAttributed', command.attribution)];
}

export type CollectPayment = {
  attemptId: string;
  /** What the commission calculator needs besides the attempt itself. */
  context: Omit<DecideCommissionsInput, 'attempt'>;
};

/** Collects the attempt's total and decides its commissions, once and for all. */
export function decideCollect(state: Attempt, command: CollectPayment): AttemptEvent[] {
  const attempt = requireOutcomePending(state, command.attemptId);
  const { purchase, attribution } = attempt;
  const collected = domainEvent('PaymentCollected', {
    attemptId: purchase.attemptId,
    amountMinor: purchase.totalMinor,
    currency: purchase.currency,
  });
  const commissions = decideCommissions({
    ...command.context,
    attempt: {
      ...purchase,
      salePartnerId: attribution?.salePartnerId ?? null,
      leadPartnerId: attribution?.leadPartnerId ?? null,
      saleAttribution: attribution?.saleAttribution ?? null,
      leadAttribution: attribution?.leadAttribution ?? null,
    },
  });
  return [collected, ...commissions.map((commission) => domainEvent('CommissionEarned', commission))];
}

export type DeclinePayment = { attemptId: string; reason: string | null };

export function decideDecline(state: Attempt, command: DeclinePayment): AttemptEvent[] {
  requireOutcomePending(state, command.attemptId);
  return [domainEvent('PaymentDeclined', { attemptId: command.attemptId, reason: command.reason })];
}

export type IssueRefund = { refundId: string; attemptId: string; amountMinor: number; currency: string };

/** Records a refund and the clawbacks it causes. Re-sending the same refund changes nothing. */
export function decideRefund(state: Attempt, command: IssueRefund): AttemptEvent[] {
  const attempt = requireKnown(state, command.attemptId);
  const previous = attempt.refunds.find((refund) => refund.refundId === command.refundId);
  if (previous) {
    if (previous.amountMinor === command.amountMinor && previous.currency === command.currency) return [];
    throw new DomainRuleViolation(
      'refund-id-conflict',
      `refund ${command.refundId} was already issued for ${previous.amountMinor} ${previous.currency}`,
      'refundId',
    );
  }
  if (attempt.status !== 'collected') {
    throw new DomainRuleViolation(
      'refund-not-allowed',
      `attempt ${command.attemptId} is ${attempt.status}, not collected`,
    );
  }
  assertCurrency(attempt.purchase.currency, command.currency);
  if (!isMinorAmount(command.amountMinor) || command.amountMinor <= 0) {
    throw new DomainRuleViolation('invalid-amount', 'a refund amount is an integer > 0', 'amount');
  }
  const refundableMinor = attempt.collectedMinor - attempt.refundedMinor;
  if (command.amountMinor > refundableMinor) {
    throw new DomainRuleViolation(
      'refund-exceeds-collected',
      `refund of ${command.amountMinor} exceeds the ${refundableMinor} still refundable`,
      'amount',
    );
  }
  const clawbacks = decideClawbacks({
    attemptId: command.attemptId,
    refundId: command.refundId,
    currency: command.currency,
    collectedMinor: attempt.collectedMinor,
    totalRefundedMinor: attempt.refundedMinor + command.amountMinor,
    commissions: attempt.commissions.map(({ commission, clawedBackMinor }) => ({
      commissionId: commission.commissionId,
      partnerId: commission.partnerId,
      productId: commission.productId,
      amountMinor: commission.amountMinor,
      clawedBackMinor,
    })),
  });
  return [
    domainEvent('RefundIssued', { ...command }),
    ...clawbacks.map((clawback) => domainEvent('CommissionClawedBack', clawback)),
  ];
}

export type AttemptCommand =
  | { type: 'RecordPurchase'; data: RecordPurchase }
  | { type: 'CollectPayment'; data: CollectPayment }
  | { type: 'DeclinePayment'; data: DeclinePayment }
  | { type: 'IssueRefund'; data: IssueRefund };

export function decideAttempt(command: AttemptCommand, state: Attempt): AttemptEvent[] {
  switch (command.type) {
    case 'RecordPurchase':
      return decidePurchase(state, command.data);
    case 'CollectPayment':
      return decideCollect(state, command.data);
    case 'DeclinePayment':
      return decideDecline(state, command.data);
    case 'IssueRefund':
      return decideRefund(state, command.data);
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
}

/** The attempt stream as a decider (emmett style): a handler folds the stream, decides and appends. */
export const attemptDecider = {
  initialState: (): Attempt => initialAttempt,
  evolve: evolveAttempt,
  decide: decideAttempt,
};

function requireKnown(state: Attempt, attemptId: string): KnownAttempt {
  if (state.status === 'none') {
    throw new DomainRuleViolation('unknown-attempt', `unknown attempt ${attemptId}`, 'attemptId');
  }
  return state;
}

/** An attempt has one outcome: collected or declined, once. */
function requireOutcomePending(state: Attempt, attemptId: string): KnownAttempt {
  const attempt = requireKnown(state, attemptId);
  switch (attempt.status) {
    case 'pending':
      return attempt;
    case 'collected':
      throw new DomainRuleViolation('already-collected', `attempt ${attemptId} was already collected`);
    case 'declined':
      throw new DomainRuleViolation('already-declined', `attempt ${attemptId} was already declined`);
    default: {
      const unexpected: never = attempt.status;
      return unexpected;
    }
  }
}
