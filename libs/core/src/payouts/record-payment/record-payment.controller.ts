/** A payment to a partner made outside the system (check, PayPal, ...): it zeroes out what was owed. */
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_AMOUNT_MINOR, domainEvent } from '@app/domain';
import { actorOf, type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { IsInstant } from '../../validation/calendar.validation';
import { EventWriter } from '../../write-model/event-writer';
import { OncePerId, newId, paymentStream } from '../payout-streams';
import { PaymentResponse } from '../payouts.responses';
import { ApiProblems } from '../../openapi/api-docs';

const ENTITY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export class RecordPaymentRequest {
  @IsOptional()
  @Matches(ENTITY_ID, { message: 'must be 1..128 characters of A-Za-z0-9._:-' })
  id?: string;

  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_MINOR)
  amount!: number;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter ISO 4217 code' })
  currency?: string;

  @IsString()
  @Length(1, 50)
  paymentType!: string;

  @IsOptional()
  @IsInstant()
  paidAt?: string;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  note?: string;
}

@ApiTags('Payouts')
@ApiBearerAuth()
@Controller('v1/partners')
export class RecordPaymentController {
  constructor(
    private readonly writer: EventWriter,
    private readonly once: OncePerId,
  ) {}

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
  ): Promise<PaymentResponse> {
    const paymentId = body.id ?? newId();
    const paidAt = new Date(body.paidAt ?? Date.now()).toISOString();
    const { data, position } = await this.once.record(
      this.writer,
      {
        streamId: paymentStream(paymentId),
        what: `Payment ${paymentId}`,
        kind: 'Payments',
        partnerId,
        currency: body.currency,
        event: (currency) =>
          domainEvent('PartnerPaid', {
            paymentId,
            partnerId,
            amountMinor: body.amount,
            currency,
            paymentType: body.paymentType,
            paidAt,
            note: body.note ?? null,
            batchId: null,
          }),
        occurredAt: paidAt,
        filledIn: body.paidAt === undefined ? ['paidAt'] : [],
      },
      { actor: actorOf(caller) },
    );
    return {
      id: data.paymentId,
      partnerId: data.partnerId,
      amount: data.amountMinor,
      currency: data.currency,
      paymentType: data.paymentType,
      paidAt: data.paidAt,
      note: data.note,
      batchId: data.batchId,
      position,
    };
  }
}
