import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { domainEvent } from '@app/domain';
import { actorOf } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { OncePerId, adjustmentStream, newId } from '../payout-streams';
import { AdjustLedgerCommand, type LedgerAdjusted } from './adjust-ledger.command';

@CommandHandler(AdjustLedgerCommand)
export class AdjustLedgerHandler implements ICommandHandler<AdjustLedgerCommand> {
  constructor(
    private readonly writer: EventWriter,
    private readonly once: OncePerId,
  ) {}

  async execute({ partnerId, request, caller }: AdjustLedgerCommand): Promise<LedgerAdjusted> {
    const adjustmentId = request.id ?? newId();
    const occurredAt = new Date(request.occurredAt ?? Date.now()).toISOString();
    const { data, position, currency } = await this.once.record(
      this.writer,
      {
        streamId: adjustmentStream(adjustmentId),
        what: `Adjustment ${adjustmentId}`,
        kind: 'Adjustments',
        partnerId,
        currency: request.currency,
        event: () =>
          domainEvent('LedgerAdjusted', {
            adjustmentId,
            partnerId,
            amountMinor: request.amount,
            reason: request.reason,
            occurredAt,
          }),
        occurredAt,
        filledIn: request.occurredAt === undefined ? ['occurredAt'] : [],
      },
      { actor: actorOf(caller) },
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
