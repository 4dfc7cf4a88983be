import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { domainEvent } from '@app/domain';
import { actorOf } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { OncePerId, newId, paymentStream } from '../payout-streams';
import { type PaymentRecorded, RecordPaymentCommand } from './record-payment.command';

@CommandHandler(RecordPaymentCommand)
export class RecordPaymentHandler implements ICommandHandler<RecordPaymentCommand> {
  constructor(
    private readonly writer: EventWriter,
    private readonly once: OncePerId,
  ) {}

  async execute({ partnerId, request, caller }: RecordPaymentCommand): Promise<PaymentRecorded> {
    const paymentId = request.id ?? newId();
    const paidAt = new Date(request.paidAt ?? Date.now()).toISOString();
    const { data, position } = await this.once.record(
      this.writer,
      {
        streamId: paymentStream(paymentId),
        what: `Payment ${paymentId}`,
        kind: 'Payments',
        partnerId,
        currency: request.currency,
        event: (currency) =>
          domainEvent('PartnerPaid', {
            paymentId,
            partnerId,
            amountMinor: request.amount,
            currency,
            paymentType: request.paymentType,
            paidAt,
            note: request.note ?? null,
            batchId: null,
          }),
        occurredAt: paidAt,
        filledIn: request.paidAt === undefined ? ['paidAt'] : [],
      },
      { actor: actorOf(caller) },
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
