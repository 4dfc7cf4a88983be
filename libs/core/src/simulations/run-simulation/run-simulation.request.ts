/** POST /v1/simulations: the range to replay, the draft programs and settings, and the partners to show. */
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  ValidateNested,
} from 'class-validator';
import {
  MAX_DRAFT_PROGRAMS,
  PARTNER_LEVELS,
  type PartnerLevels,
  RESOURCE_ID_RULE,
  isLocalDay,
  isResourceId,
} from '@app/domain';
import { type FieldError, badRequest, unacceptableInput, validatePlain } from '@app/platform';
import { IsResourceId, OptionalNotNull } from '../../configuration/configuration.validation';
import { IsNotBeforeFrom } from '../../validation/calendar.validation';
import { ValueRule } from '../../validation/rules';
import { DefineProgramRequest } from '../../configuration/define-program/define-program.request';
import { PayoutRolesRequest } from '../../configuration/change-settings/change-settings.request';

export const MAX_SIMULATION_PARTNERS = 1000;

/** Days the calendar functions and PostgreSQL agree on; the log holds nothing outside them. */
const FIRST_DAY = '1970-01-01';
const LAST_DAY = '8999-12-31';

const IsSimulationDay = (): PropertyDecorator =>
  ValueRule(
    'isSimulationDay',
    (value) => typeof value === 'string' && isLocalDay(value) && value >= FIRST_DAY && value <= LAST_DAY,
    `must be a calendar day, YYYY-MM-DD, from ${FIRST_DAY} to ${LAST_DAY}`,
  );

/** The settings that decide commission amounts; the others cannot change what was paid. */
export class SimulationSettingsRequest {
  @ApiPropertyOptional({ enum: PARTNER_LEVELS, description: 'Levels paid: partner, parent, grandparent' })
  @OptionalNotNull()
  @IsIn(PARTNER_LEVELS)
  levels?: PartnerLevels;

  @ApiPropertyOptional({
    description: "A missing or inactive level's amount goes to the level-1 partner, marked unused",
  })
  @OptionalNotNull()
  @IsBoolean()
  payIfUnused?: boolean;

  @ApiPropertyOptional({
    type: PayoutRolesRequest,
    description:
      'Roles paid. The lead partner of an attempt is only known when payout.lead was on when it was recorded.',
  })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => PayoutRolesRequest)
  payout?: PayoutRolesRequest;

  @ApiPropertyOptional({ description: "A partner whose email is the buyer's earns nothing on that attempt" })
  @OptionalNotNull()
  @IsBoolean()
  blockSelfReferrals?: boolean;
}

@ApiExtraModels(DefineProgramRequest)
export class RunSimulationRequest {
  @ApiProperty({
    example: '2026-01-01',
    format: 'date',
    description:
      'First local day (settings timezone), inclusive: collections and refunds whose occurredAt falls in the range are replayed',
  })
  @IsSimulationDay()
  from!: string;

  @ApiProperty({ example: '2026-03-31', format: 'date', description: 'Last local day, inclusive' })
  @IsSimulationDay()
  @IsNotBeforeFrom(isLocalDay)
  to!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(DefineProgramRequest) },
    maxProperties: MAX_DRAFT_PROGRAMS,
    description:
      'Draft programs keyed by program id, each a body as POST /v1/programs takes it (id optional, and equal to the key when given). ' +
      'They replace the program of that id, or add one, for the simulation only; every other program stays as it is now.',
    example: {
      standard: {
        name: 'Standard',
        default: { sale: [{ percent: '20' }, { percent: '3' }, { percent: '1' }] },
      },
    },
  })
  @OptionalNotNull()
  @IsObject()
  programs?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: SimulationSettingsRequest,
    description: 'Draft settings; what is left out stays as it is now',
    example: { levels: 3 },
  })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => SimulationSettingsRequest)
  settings?: SimulationSettingsRequest;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_SIMULATION_PARTNERS,
    description: 'Only rows (and totals) of these partners; every sale is still replayed',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_SIMULATION_PARTNERS)
  @ArrayUnique()
  @IsResourceId({ each: true })
  partnerIds?: string[];
}

/**
 * The draft programs, each checked as POST /v1/programs checks its body (the request's rules, then the
 * domain's), with paths under `programs.<id>`. 400 listing every problem.
 */
export function checkDraftProgramBodies(programs: Record<string, unknown> | undefined): void {
  if (programs === undefined) return;
  const errors: FieldError[] = [];
  for (const [key, body] of Object.entries(programs)) {
    const path = `programs.${key}`;
    if (!isResourceId(key)) {
      errors.push({ path, message: `the program id ${RESOURCE_ID_RULE}` });
      continue;
    }
    errors.push(...validatePlain(DefineProgramRequest, body, path).errors);
  }
  if (errors.length > 0) throw badRequest('The draft programs are not valid', errors);
}

/**
 * A request built outside HTTP (the CLI, from files) checked as the pipe checks a body: the raw input
 * first, then the request's rules. Throws the same 400 problem.
 */
export function simulationRequestFrom(plain: Record<string, unknown>): RunSimulationRequest {
  const raw = unacceptableInput(plain);
  if (raw.length > 0) throw badRequest('The request is not valid', raw);
  const { value, errors } = validatePlain(RunSimulationRequest, plain, '');
  if (errors.length > 0) throw badRequest('The request is not valid', errors);
  return value;
}
