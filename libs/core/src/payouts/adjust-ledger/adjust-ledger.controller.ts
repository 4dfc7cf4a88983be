import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { AdjustmentResponse } from '../payouts.responses';
import { AdjustLedgerCommand, type LedgerAdjusted } from './adjust-ledger.command';
import { AdjustLedgerRequest } from './adjust-ledger.request';

@ApiTags('Payouts')
@ApiBearerAuth()
@Controller('v1/partners')
export class AdjustLedgerController {
  constructor(private readonly commands: CommandBus) {}

  @ApiOperation({
    summary: "Adjust a partner's ledger",
    description: 'A signed correction with its reason, dated at `occurredAt` (default now).',
  })
  @ApiCreatedResponse({ type: AdjustmentResponse })
  @ApiProblems({
    404: 'No such partner',
    409: 'The id is reused with other content (`id-conflict`)',
    422: 'Another currency than the settlement currency (`currency-mismatch`)',
  })
  @Roles()
  @Post(':partnerId/adjustments')
  async adjust(
    @Param('partnerId') partnerId: string,
    @Body() body: AdjustLedgerRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<LedgerAdjusted> {
    return this.commands.execute(new AdjustLedgerCommand(partnerId, body, caller));
  }
}
