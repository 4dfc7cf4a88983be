import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import type { VerifyResult } from '../audit-verifier';
import { VerifyResponse } from '../audit.responses';
import { VerifyQuery } from './verify.query';

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class VerifyController {
  constructor(private readonly queries: QueryBus) {}

  /** Replays the log and compares it with the hash chain and every read model. */
  @ApiOperation({
    operationId: 'Audit_verify',
    summary: 'Verify the hash chain and every read model',
    description: 'Replays the log and compares it with the audit chain and each read model, row by row.',
  })
  @ApiOkResponse({ type: VerifyResponse })
  @Roles('auditor')
  @Get('verify')
  async verify(): Promise<VerifyResult> {
    return this.queries.execute(new VerifyQuery());
  }
}
