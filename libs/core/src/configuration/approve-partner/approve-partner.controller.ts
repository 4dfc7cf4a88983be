/** Approving a partner that signed up in the Partner Center: `PartnerApproved` makes it active. */
import { ApiProblems } from '../../openapi/api-docs';
import { PartnerWrittenResponse } from '../configuration.responses';
import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { decideApproval } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Database, notFound, readBack } from '@app/platform';
import { type Caller, CurrentCaller, actorOf } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { lockStream, partnerStream, streamPosition } from '../configuration.streams';
import { partnerView } from '../configuration.views';
import { PartnerCredentials } from '../partner-credentials';

@ApiTags('Partners')
@ApiBearerAuth()
@Controller('v1/partners')
export class ApprovePartnerController {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
    private readonly credentials: PartnerCredentials,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /**
   * 200 with the partner, now active, and the position; an active partner is answered as it is (no
   * event). 404 unknown partner; 422 `not-pending` for an inactive partner (PATCH its status instead).
   */
  @Roles()
  @Post(':id/approve')
  @ApiOperation({ summary: 'Approve a pending partner (sign-up)' })
  @ApiOkResponse({ type: PartnerWrittenResponse })
  @ApiProblems({ 404: 'No such partner', 422: 'not-pending: the partner is inactive' })
  @HttpCode(200)
  async approve(
    @Param('id') partnerId: string,
    @CurrentCaller() caller?: Caller,
  ): Promise<PartnerWrittenResponse> {
    return this.database.transaction(async (tx) => {
      await lockStream(tx, partnerStream(partnerId));
      const partner = await this.queries.partner(partnerId, tx);
      if (!partner) throw notFound(`No partner ${partnerId}`);
      const events = decideApproval(partner);
      const position =
        events.length === 0
          ? await streamPosition(this.store, partnerStream(partnerId), tx)
          : (
              await this.writer.write(
                [
                  {
                    streamId: partnerStream(partnerId),
                    events: events.map((event) => ({
                      eventId: randomUUID(),
                      event,
                      occurredAt: new Date().toISOString(),
                    })),
                  },
                ],
                { actor: actorOf(caller) },
                tx,
              )
            ).position;
      const approved = readBack(await this.queries.partner(partnerId, tx), `partner ${partnerId}`);
      const hasPassword = (await this.credentials.withPassword([partnerId], tx)).has(partnerId);
      return { ...partnerView(approved, hasPassword), position };
    });
  }
}
