import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { BatchCreatedResponse } from '../payouts.responses';
import { type BatchCreated, CreateBatchCommand } from './create-batch.command';
import { CreateBatchRequest } from './create-batch.request';

@ApiTags('Payouts')
@ApiBearerAuth()
@Controller('v1/payouts')
export class CreateBatchController {
  constructor(private readonly commands: CommandBus) {}

  @ApiOperation({
    operationId: 'Batches_create',
    summary: 'Pay partners in a batch',
    description:
      'One payment per partner from the ledger report of a range (`earned-in-range`, `beginning-plus-earned`, `ending-balance`: `from`, `to`) or from the schedule (`due`: `payDate`). Zero, negative and below-minimum amounts are skipped with the reason.',
  })
  @ApiCreatedResponse({ type: BatchCreatedResponse })
  @ApiProblems({
    409: 'The batch id was already used (`batch-id-used`)',
    422: 'Against a domain rule (e.g. an amount out of range)',
  })
  @Roles()
  @Post('batches')
  async create(@Body() body: CreateBatchRequest, @CurrentCaller() caller?: Caller): Promise<BatchCreated> {
    return this.commands.execute(new CreateBatchCommand(body, caller));
  }
}
