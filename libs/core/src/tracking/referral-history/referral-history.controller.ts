/** A contact's click history and referral records: who referred this contact, when, and through what. */
import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ReferralHistoryQuery } from './referral-history.query';
import { ReferralHistoryResponse } from './referral-history.responses';

@ApiTags('Referrals')
@ApiBearerAuth()
@Controller('v1/contacts')
export class ReferralHistoryController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({
    summary: "Read a contact's clicks and referral records",
    description: 'Who referred this contact, through what, and when.',
  })
  @ApiOkResponse({ type: ReferralHistoryResponse, description: 'Empty lists for an unknown contact' })
  @Roles('auditor')
  @Get(':contactId/referral-history')
  async history(@Param('contactId') contactId: string): Promise<ReferralHistoryResponse> {
    return this.queries.execute(new ReferralHistoryQuery(contactId));
  }
}
