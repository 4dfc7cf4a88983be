import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { AuditEventsResponse } from '../audit.responses';
import { type AuditEventsPage, ReadEventsQuery } from './read-events.query';
import { AuditEventsRequest } from './read-events.request';

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class ReadEventsController {
  constructor(private readonly queries: QueryBus) {}

  /** The log in order; follow `next` to see every event exactly once. */
  @ApiOperation({
    operationId: 'Audit_events',
    summary: 'Read the event log in order',
    description:
      'Follow `next`: every event is seen exactly once, also while writes go on. An empty page means nothing readable yet, not the end.',
  })
  @ApiOkResponse({ type: AuditEventsResponse })
  @Roles('auditor')
  @Get('events')
  async events(@Query() query: AuditEventsRequest): Promise<AuditEventsPage> {
    return this.queries.execute(new ReadEventsQuery(query.after, query.limit ?? 100));
  }
}
