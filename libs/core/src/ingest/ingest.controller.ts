import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { actorOf, type Caller, CurrentCaller } from '../auth/caller';
import { Roles } from '../auth/roles.decorator';
import { IngestRequest } from './envelope.request';
import { IngestService } from './ingest.service';

@ApiTags('Ingest')
@ApiBearerAuth()
@Controller('v1/events')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  /** 1..1000 envelopes, processed in order; one result per envelope. */
  @Roles('ingest')
  @Post()
  @HttpCode(200)
  async publish(@Body() body: IngestRequest, @CurrentCaller() caller?: Caller) {
    const envelopes = this.ingest.validate(body.events);
    const results = await this.ingest.ingest(envelopes, { actor: actorOf(caller) });
    const positions = results.flatMap((r) => (r.position ? [r.position] : []));
    return { results, position: positions[positions.length - 1] ?? null };
  }
}
