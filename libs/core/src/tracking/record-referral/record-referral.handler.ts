import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { RESOURCE_ID_RULE, domainEvent, isResourceId, referralFor } from '@app/domain';
import { Database, badRequest, unprocessable } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { contactStream } from '../link-clicked/click-events';
import { RecordReferralCommand } from './record-referral.command';
import type { RecordedReferralResponse } from './record-referral.responses';

@CommandHandler(RecordReferralCommand)
export class RecordReferralHandler implements ICommandHandler<RecordReferralCommand> {
  constructor(
    private readonly database: Database,
    private readonly writer: EventWriter,
    private readonly queries: WriteModelQueries,
  ) {}

  async execute({ contactId, request, caller }: RecordReferralCommand): Promise<RecordedReferralResponse> {
    if (!isResourceId(contactId))
      throw badRequest('Invalid contact id', [{ path: 'contactId', message: RESOURCE_ID_RULE }]);
    const now = new Date().toISOString();
    const expiresAt = request.expiresAt ? new Date(request.expiresAt).toISOString() : undefined;
    if (expiresAt && expiresAt <= now)
      throw badRequest('expiresAt is in the past', [{ path: 'expiresAt', message: 'must be in the future' }]);
    return this.database.transaction(async (tx) => {
      const partner = await this.queries.partner(request.partnerId, tx);
      if (!partner)
        throw unprocessable(`Unknown partner ${request.partnerId}`, 'unknown-partner', [
          { path: 'partnerId', message: 'unknown partner' },
        ]);
      const referral = referralFor(contactId, partner, 'manual', now, expiresAt);
      const written = await this.writer.write(
        [
          {
            streamId: contactStream(contactId),
            events: [
              {
                eventId: `referral-${randomUUID()}`,
                occurredAt: now,
                event: domainEvent('ReferralRecorded', referral),
              },
            ],
          },
        ],
        { actor: actorOf(caller) },
        tx,
      );
      return { ...referral, position: written.position };
    });
  }
}
