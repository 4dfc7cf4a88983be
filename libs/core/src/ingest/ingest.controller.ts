import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiExtraModels, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { actorOf, type Caller, CurrentCaller } from '../auth/caller';
import { Roles } from '../auth/roles.decorator';
import { IngestRequest, DATA_CLASSES } from './envelope.request';
import { GroupCommitter } from './group-commit/group-committer';
import { IngestService } from './ingest.service';
import { IngestResponse } from './ingest.responses';

@ApiTags('Ingest')
@ApiExtraModels(...Object.values(DATA_CLASSES))
@ApiBearerAuth()
@Controller('v1/events')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    private readonly groups: GroupCommitter,
  ) {}

  /** 1..1000 envelopes, processed in order; one result per envelope. */
  @ApiOperation({
    summary: 'Publish commerce events',
    description:
      '1..1000 envelopes, processed in order, one result each. Safe to repeat: the same eventId with the same content is `duplicate`. A malformed envelope makes the whole request 400 (nothing stored); an envelope against a domain rule is `rejected` alone (422 or 409 in `error`).',
  })
  @ApiOkResponse({ type: IngestResponse })
  @Roles('ingest')
  @Post()
  @HttpCode(200)
  async publish(@Body() body: IngestRequest, @CurrentCaller() caller?: Caller): Promise<IngestResponse> {
    const envelopes = this.ingest.validate(body.events);
    const meta = { actor: actorOf(caller) };
    // A single envelope shares its transaction with concurrent ones; a batch already is one.
    const results =
      envelopes.length === 1
        ? await this.groups.submit(envelopes, meta)
        : await this.ingest.ingest(envelopes, meta);
    const positions = results.flatMap((r) => (r.position ? [r.position] : []));
    return { results, position: positions[positions.length - 1] ?? null };
  }
}
