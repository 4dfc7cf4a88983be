import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { AuditLedgerResponse } from '../audit.responses';
import { type AuditLedgerView, AuditPartnerLedgerQuery } from './partner-ledger.query';
import { AuditLedgerRequest } from './partner-ledger.request';

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditPartnerLedgerController {
  constructor(private readonly queries: QueryBus) {}

  /** The partner ledger recomputed from the events recorded up to `asOf`, without any read model. */
  @ApiOperation({
    operationId: 'Audit_ledger',
    summary: "A partner's ledger as of an instant, from the log alone",
    description:
      'Recomputed from the events recorded up to `asOf` (default now) with the pure domain code, without read models.',
  })
  @ApiOkResponse({ type: AuditLedgerResponse })
  @ApiProblems({ 404: 'No such partner' })
  @Roles('auditor')
  @Get('partners/:partnerId/ledger')
  async ledger(
    @Param('partnerId') partnerId: string,
    @Query() query: AuditLedgerRequest,
  ): Promise<AuditLedgerView> {
    return this.queries.execute(new AuditPartnerLedgerQuery(partnerId, query));
  }
}
