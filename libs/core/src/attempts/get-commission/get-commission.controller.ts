import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { CommissionResponse } from '../attempt.responses';
import { GetCommissionQuery } from './get-commission.query';

@ApiTags('Attempts and commissions')
@ApiBearerAuth()
@Controller('v1')
export class GetCommissionController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({
    operationId: 'Attempts_commission',
    summary: 'Read a commission with its explanation',
    description:
      'Role, level, program, rule, rate, base, how the partner was found, and the settings that applied.',
  })
  @ApiOkResponse({ type: CommissionResponse })
  @ApiProblems({ 404: 'No such commission' })
  @Roles('auditor')
  @Get('commissions/:commissionId')
  async commission(@Param('commissionId') commissionId: string): Promise<CommissionResponse> {
    return this.queries.execute(new GetCommissionQuery(commissionId));
  }
}
