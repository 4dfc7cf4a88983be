import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { PartnerWrittenResponse } from '../configuration.responses';
import { ApprovePartnerCommand, type PartnerApproved } from './approve-partner.command';

@ApiTags('Partners')
@ApiBearerAuth()
@Controller('v1/partners')
export class ApprovePartnerController {
  constructor(private readonly commands: CommandBus) {}

  /**
   * 200 with the partner, now active, and the position; an active partner is answered as it is (no
   * event). 404 unknown partner; 422 `not-pending` for an inactive partner (PATCH its status instead).
   */
  @Roles()
  @Post(':id/approve')
  @ApiOperation({ summary: 'Approve a pending partner (sign-up)' })
  @ApiOkResponse({ type: PartnerWrittenResponse })
  @ApiProblems({ 404: 'No such partner', 422: 'not-pending: the partner is inactive' })
  @HttpCode(200)
  async approve(@Param('id') partnerId: string, @CurrentCaller() caller?: Caller): Promise<PartnerApproved> {
    return this.commands.execute(new ApprovePartnerCommand(partnerId, caller));
  }
}
