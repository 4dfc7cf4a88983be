/** A referral recorded by hand (phone or email referrals). */
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { RESOURCE_ID_RULE, domainEvent, isResourceId, referralFor } from '@app/domain';
import { Database, badRequest, unprocessable } from '@app/platform';
import { actorOf, type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { IsInstant } from '../../validation/calendar.validation';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { contactStream } from '../link-clicked/click-events';
import { RecordedReferralResponse } from './record-referral.responses';
import { ApiProblems } from '../../openapi/api-docs';
import { IsResourceId } from '../../configuration/configuration.validation';

export class RecordReferralRequest {
  @IsString()
  @IsResourceId()
  partnerId!: string;

  @IsOptional()
  @IsInstant()
  expiresAt?: string;
}

@ApiTags('Referrals')
@ApiBearerAuth()
@Controller('v1/contacts')
export class RecordReferralController {
  constructor(
    private readonly database: Database,
    private readonly writer: EventWriter,
    private readonly queries: WriteModelQueries,
  ) {}

  @ApiOperation({ summary: 'Record a referral by hand (phone or email referrals)' })
  @ApiCreatedResponse({ type: RecordedReferralResponse })
  @ApiProblems({ 422: 'Unknown partner (`unknown-partner`)' })
  @Roles()
  @Post(':contactId/referrals')
  async record(
    @Param('contactId') contactId: string,
    @Body() body: RecordReferralRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<RecordedReferralResponse> {
    if (!isResourceId(contactId))
      throw badRequest('Invalid contact id', [{ path: 'contactId', message: RESOURCE_ID_RULE }]);
    const now = new Date().toISOString();
    const expiresAt = body.expiresAt ? new Date(body.expiresAt).toISOString() : undefined;
    if (expiresAt && expiresAt <= now)
      throw badRequest('expiresAt is in the past', [{ path: 'expiresAt', message: 'must be in the future' }]);
    return this.database.transaction(async (tx) => {
      const partner = await this.queries.partner(body.partnerId, tx);
      if (!partner)
        throw unprocessable(`Unknown partner ${body.partnerId}`, 'unknown-partner', [
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
