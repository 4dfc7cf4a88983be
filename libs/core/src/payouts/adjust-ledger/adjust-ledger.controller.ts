/** A signed correction of a partner's ledger, with its reason. */
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, NotEquals } from 'class-validator';
import { MAX_AMOUNT_MINOR, domainEvent } from '@app/domain';
import { actorOf, type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { IsResourceId } from '../../configuration/configuration.validation';
import { IsInstant } from '../../validation/calendar.validation';
import { EventWriter } from '../../write-model/event-writer';
import { OncePerId, adjustmentStream, newId } from '../payout-streams';
import { AdjustmentResponse } from '../payouts.responses';
import { ApiProblems } from '../../openapi/api-docs';

export class AdjustLedgerRequest {
  @IsOptional()
  @IsResourceId()
  id?: string;

  @IsInt()
  @NotEquals(0, { message: 'must not be 0' })
  @Min(-MAX_AMOUNT_MINOR)
  @Max(MAX_AMOUNT_MINOR)
  amount!: number;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter ISO 4217 code' })
  currency?: string;

  @IsString()
  @Length(1, 1000)
  reason!: string;

  @IsOptional()
  @IsInstant()
  occurredAt?: string;
}

@ApiTags('Payouts')
@ApiBearerAuth()
@Controller('v1/partners')
export class AdjustLedgerController {
  constructor(
    private readonly writer: EventWriter,
    private readonly once: OncePerId,
  ) {}

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
  ): Promise<AdjustmentResponse> {
    const adjustmentId = body.id ?? newId();
    const occurredAt = new Date(body.occurredAt ?? Date.now()).toISOString();
    const { data, position, currency } = await this.once.record(
      this.writer,
      {
        streamId: adjustmentStream(adjustmentId),
        what: `Adjustment ${adjustmentId}`,
        kind: 'Adjustments',
        partnerId,
        currency: body.currency,
        event: () =>
          domainEvent('LedgerAdjusted', {
            adjustmentId,
            partnerId,
            amountMinor: body.amount,
            reason: body.reason,
            occurredAt,
          }),
        occurredAt,
        filledIn: body.occurredAt === undefined ? ['occurredAt'] : [],
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
