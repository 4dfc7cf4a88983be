import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { AttemptResponse } from '../attempt.responses';
import { GetAttemptQuery } from './get-attempt.query';

@ApiTags('Attempts and commissions')
@ApiBearerAuth()
@Controller('v1')
export class GetAttemptController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({
    operationId: 'Attempts_attempt',
    summary: 'Read a purchase attempt with its attribution and commissions',
  })
  @ApiOkResponse({ type: AttemptResponse })
  @ApiProblems({ 404: 'No such attempt' })
  @Roles('auditor')
  @Get('attempts/:attemptId')
  async attempt(@Param('attemptId') attemptId: string): Promise<AttemptResponse> {
    return this.queries.execute(new GetAttemptQuery(attemptId));
  }
}
