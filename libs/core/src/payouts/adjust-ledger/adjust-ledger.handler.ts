import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { domainEvent } from '@app/domain';
import { MoneyMovements } from '../money-movements';
import { adjustmentStream } from '../payout-streams';
import { AdjustLedgerCommand, type LedgerAdjusted } from './adjust-ledger.command';

@CommandHandler(AdjustLedgerCommand)
export class AdjustLedgerHandler implements ICommandHandler<AdjustLedgerCommand> {
  constructor(private readonly movements: MoneyMovements) {}

  async execute({ partnerId, request, caller }: AdjustLedgerCommand): Promise<LedgerAdjusted> {
    const { data, position, currency } = await this.movements.record(
      {
        id: request.id,
        stream: adjustmentStream,
        name: 'Adjustment',
        kind: 'Adjustments',
        partnerId,
        currency: request.currency,
        at: request.occurredAt,
        atField: 'occurredAt',
        event: ({ id, at }) =>
          domainEvent('LedgerAdjusted', {
            adjustmentId: id,
            partnerId,
            amountMinor: request.amount,
            reason: request.reason,
            occurredAt: at,
          }),
      },
      caller,
    );
    return {
      id: data.adjustmentId,
      partnerId: data.partnerId,
      amount: data.amountMinor,
      currency,
      reason: data.reason,
      occurredAt: data.occurredAt,
      position,
    };
  }
}
