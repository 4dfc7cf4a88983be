import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiExtraModels, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { DATA_CLASSES } from '../envelope.request';
import { PublishEventsCommand } from './publish-events.command';
import { IngestRequest } from './publish-events.request';
import { IngestResponse } from './publish-events.responses';

@ApiTags('Ingest')
@ApiExtraModels(...Object.values(DATA_CLASSES))
@ApiBearerAuth()
@Controller('v1/events')
export class PublishEventsController {
  constructor(private readonly commands: CommandBus) {}

  /** 1..1000 envelopes, processed in order; one result per envelope. */
  @ApiOperation({
    operationId: 'Ingest_publish',
    summary: 'Publish commerce events',
    description:
      '1..1000 envelopes, processed in order, one result each. Safe to repeat: the same eventId with the same content is `duplicate`. A malformed envelope makes the whole request 400 (nothing stored); an envelope against a domain rule is `rejected` alone (422 or 409 in `error`).',
  })
  @ApiOkResponse({ type: IngestResponse })
  @Roles('ingest')
  @Post()
  @HttpCode(200)
  async publish(@Body() body: IngestRequest, @CurrentCaller() caller?: Caller): Promise<IngestResponse> {
    return this.commands.execute(new PublishEventsCommand(body.events, caller));
  }
}
