import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../auth/caller';
import type { RecordPaymentRequest } from './record-payment.request';

export interface PaymentRecorded {
  id: string;
  partnerId: string;
  amount: number;
  currency: string;
  paymentType: string;
  paidAt: string;
  note: string | null;
  batchId: string | null;
  position: string;
}

/** A payment to a partner made outside the system (check, PayPal, ...): it zeroes out what was owed. */
export class RecordPaymentCommand extends Command<PaymentRecorded> {
  constructor(
    readonly partnerId: string,
    readonly request: RecordPaymentRequest,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
