/** A referral recorded by hand (phone or email referrals). */
import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { RecordReferralCommand } from './record-referral.command';
import { RecordReferralRequest } from './record-referral.request';
import { RecordedReferralResponse } from './record-referral.responses';

@ApiTags('Referrals')
@ApiBearerAuth()
@Controller('v1/contacts')
export class RecordReferralController {
  constructor(private readonly commands: CommandBus) {}

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
    return this.commands.execute(new RecordReferralCommand(contactId, body, caller));
  }
}
