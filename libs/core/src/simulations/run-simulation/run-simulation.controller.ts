import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { RunSimulationQuery, type SimulationResult } from './run-simulation.query';
import { RunSimulationRequest } from './run-simulation.request';
import { SimulationResponseDocument } from './run-simulation.response';

/** RFC 9457 problem details, as every error of the API answers. */
const PROBLEM: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', example: 'programs.standard.default.sale[0].percent' },
          message: { type: 'string' },
        },
      },
    },
  },
};

const problem = (description: string): ResponseObject => ({
  description,
  content: { 'application/problem+json': { schema: PROBLEM } },
});

@ApiTags('Simulations')
@ApiBearerAuth()
@Controller('v1/simulations')
export class RunSimulationController {
  constructor(private readonly queries: QueryBus) {}

  @Roles('auditor')
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'What-if: replay past sales under draft programs or settings',
    description:
      'Roles: admin, auditor. Replays every collection and refund whose occurredAt falls in the local days ' +
      'from..to (settings timezone), each with its attempt as recorded (items, stored attribution, outcome, ' +
      'refunds), through the same domain code that decides real commissions, under the draft programs and ' +
      'settings (what the draft leaves out stays as it is now; partners are taken as they were at each ' +
      'collection). Answers what was decided for real next to what the draft would have decided, per ' +
      'partner and product, in minor units. Refunds claw back proportionally from the simulated ' +
      'commissions, as for real. It writes nothing: no event, no read model, no table (one read-only ' +
      'snapshot, read in keyset pages).',
  })
  @ApiBody({ type: RunSimulationRequest })
  @ApiOkResponse({ type: SimulationResponseDocument, description: 'The comparison; `writesNothing` is true' })
  @ApiBadRequestResponse(problem('Malformed input, with the path of every field at fault'))
  @ApiUnauthorizedResponse(problem('No key, or a bad one'))
  @ApiForbiddenResponse(problem('A role other than admin or auditor'))
  @ApiServiceUnavailableResponse(problem('The database is unavailable (Retry-After)'))
  async simulate(@Body() request: RunSimulationRequest): Promise<SimulationResult> {
    return this.queries.execute(new RunSimulationQuery(request));
  }
}
