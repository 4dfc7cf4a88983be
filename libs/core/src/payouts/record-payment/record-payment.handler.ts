import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { domainEvent } from '@app/domain';
import { MoneyMovements } from '../money-movements';
import { paymentStream } from '../payout-streams';
import { type PaymentRecorded, RecordPaymentCommand } from './record-payment.command';

@CommandHandler(RecordPaymentCommand)
export class RecordPaymentHandler implements ICommandHandler<RecordPaymentCommand> {
  constructor(private readonly movements: MoneyMovements) {}

  async execute({ partnerId, request, caller }: RecordPaymentCommand): Promise<PaymentRecorded> {
    const { data, position } = await this.movements.record(
      {
        id: request.id,
        stream: paymentStream,
        name: 'Payment',
        kind: 'Payments',
        partnerId,
        currency: request.currency,
        at: request.paidAt,
        atField: 'paidAt',
        event: ({ id, at, currency }) =>
          domainEvent('PartnerPaid', {
            paymentId: id,
            partnerId,
            amountMinor: request.amount,
            currency,
            paymentType: request.paymentType,
            paidAt: at,
            note: request.note ?? null,
            batchId: null,
          }),
      },
      caller,
    );
    return {
      id: data.paymentId,
      partnerId: data.partnerId,
      amount: data.amountMinor,
      currency: data.currency,
      paymentType: data.paymentType,
      paidAt: data.paidAt,
      note: data.note,
      batchId: data.batchId,
      position,
    };
  }
}
