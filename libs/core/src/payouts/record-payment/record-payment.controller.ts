import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { PaymentResponse } from '../payouts.responses';
import { type PaymentRecorded, RecordPaymentCommand } from './record-payment.command';
import { RecordPaymentRequest } from './record-payment.request';

@ApiTags('Payouts')
@ApiBearerAuth()
@Controller('v1/partners')
export class RecordPaymentController {
  constructor(private readonly commands: CommandBus) {}

  @ApiOperation({
    summary: 'Record a payment to a partner',
    description:
      'Records that the merchant paid outside the system (check, PayPal, ...); dated at `paidAt` (default now).',
  })
  @ApiCreatedResponse({ type: PaymentResponse })
  @ApiProblems({
    404: 'No such partner',
    409: 'The id is reused with other content (`id-conflict`)',
    422: 'Another currency than the settlement currency (`currency-mismatch`)',
  })
  @Roles()
  @Post(':partnerId/payments')
  async pay(
    @Param('partnerId') partnerId: string,
    @Body() body: RecordPaymentRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<PaymentRecorded> {
    return this.commands.execute(new RecordPaymentCommand(partnerId, body, caller));
  }
}
