/** The answer of POST /v1/simulations, as the handler returns it and as the OpenAPI document describes it. */
import { ApiProperty } from '@nestjs/swagger';
import { PARTNER_LEVELS, type PartnerLevels } from '@app/domain';

export const WRITES_NOTHING_NOTE =
  'A what-if replay: nothing was written (no event, no read model, no table). It was read in one read-only ' +
  'snapshot of the log; decided commissions are never recomputed.';

export class SimulationAmountsDocument {
  @ApiProperty({ type: 'integer', description: 'Commissions earned, minor units', example: 1261 })
  commissions!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Clawed back by refunds, minor units, positive',
    example: 631,
  })
  clawbacks!: number;

  @ApiProperty({ type: 'integer', description: 'commissions - clawbacks', example: 630 })
  net!: number;
}

export class SimulationRowDocument {
  @ApiProperty({ example: 'amy' })
  partnerId!: string;

  @ApiProperty({ example: 'premium' })
  productId!: string;

  @ApiProperty({ type: SimulationAmountsDocument, description: 'As decided and recorded' })
  actual!: SimulationAmountsDocument;

  @ApiProperty({ type: SimulationAmountsDocument, description: 'Under the draft' })
  simulated!: SimulationAmountsDocument;

  @ApiProperty({
    type: SimulationAmountsDocument,
    description: 'simulated - actual (negative: the draft costs less)',
  })
  difference!: SimulationAmountsDocument;
}

export class SimulationReplayedDocument {
  @ApiProperty({ type: 'integer', description: 'Collections in the range replayed' })
  collections!: number;

  @ApiProperty({ type: 'integer', description: 'Refunds in the range replayed' })
  refunds!: number;

  @ApiProperty({
    type: 'integer',
    description:
      "Attempt streams folded (an attempt is read once per page of its collection's or refund's pass)",
  })
  attempts!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Log events read and fed through the domain: attempt events and partner events',
  })
  events!: number;
}

export class SimulationSkippedDocument {
  @ApiProperty({
    type: 'integer',
    description: 'Attempts in another currency than the settlement currency (left out of both sides)',
  })
  otherCurrency!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Attempt streams the domain refused to replay (left out of both sides)',
  })
  inconsistentStream!: number;
}

export class SimulationPayoutDocument {
  @ApiProperty()
  sale!: boolean;

  @ApiProperty()
  lead!: boolean;
}

export class SimulationAppliedSettingsDocument {
  @ApiProperty({ enum: PARTNER_LEVELS })
  levels!: PartnerLevels;

  @ApiProperty()
  payIfUnused!: boolean;

  @ApiProperty({ type: SimulationPayoutDocument })
  payout!: SimulationPayoutDocument;

  @ApiProperty()
  blockSelfReferrals!: boolean;
}

export class SimulationAppliedDocument {
  @ApiProperty({
    type: SimulationAppliedSettingsDocument,
    description: 'The settings the replay decided with',
  })
  settings!: SimulationAppliedSettingsDocument;

  @ApiProperty({ type: [String], description: 'Programs the draft replaced or added', example: ['standard'] })
  draftProgramIds!: string[];
}

export class SimulationResponseDocument {
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  from!: string;

  @ApiProperty({ format: 'date', example: '2026-03-31' })
  to!: string;

  @ApiProperty({ example: 'USD', description: 'The settlement currency; every amount is in its minor units' })
  currency!: string;

  @ApiProperty({
    example: '812-4711',
    description: 'The last log position the snapshot held ("0-0" for an empty log): the replay is as of it',
  })
  position!: string;

  @ApiProperty({ type: SimulationAmountsDocument })
  actual!: SimulationAmountsDocument;

  @ApiProperty({ type: SimulationAmountsDocument })
  simulated!: SimulationAmountsDocument;

  @ApiProperty({ type: SimulationAmountsDocument, description: 'simulated - actual' })
  difference!: SimulationAmountsDocument;

  @ApiProperty({
    type: [SimulationRowDocument],
    description: 'Per partner and product, sorted by partnerId, then productId',
  })
  rows!: SimulationRowDocument[];

  @ApiProperty({ type: SimulationReplayedDocument })
  replayed!: SimulationReplayedDocument;

  @ApiProperty({ type: SimulationSkippedDocument })
  skipped!: SimulationSkippedDocument;

  @ApiProperty({ type: SimulationAppliedDocument })
  applied!: SimulationAppliedDocument;

  @ApiProperty({ enum: [true], description: 'Always true: a simulation writes nothing' })
  writesNothing!: true;

  @ApiProperty({ example: WRITES_NOTHING_NOTE })
  note!: string;
}
