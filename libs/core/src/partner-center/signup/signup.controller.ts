/**
 * Partner Center sign-up: a public form that records a new partner as events (`PartnerSignedUp`, and
 * `PartnerApproved` when `signup.autoApprove` is on). Closed (404) unless `signup.enabled`.
 */
import { ApiProblems } from '../../openapi/api-docs';
import { SignupResponse } from './signup.response';
import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { decideSignUp } from '@app/domain';
import { Database, ProblemError, conflict, readBack } from '@app/platform';
import { Public } from '../../auth/roles.decorator';
import { partnerStream } from '../../configuration/configuration.streams';
import { PartnerCredentials } from '../../configuration/partner-credentials';
import { lockPartnerTree } from '../../configuration/partner-rules';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { SignupRateLimiter } from './signup-rate-limiter';
import { SignupRequest } from './signup.request';

export const SIGNUP_ACTOR = 'partner-center:signup';

@ApiTags('Partner Center')
@Controller('v1/partner-center')
export class SignupController {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
    private readonly credentials: PartnerCredentials,
    private readonly limiter: SignupRateLimiter,
  ) {}

  /**
   * 201 `{partnerId, code, status, parentId, position}`: status `pending` until an admin approves it
   * (`POST /v1/partners/:id/approve`), `active` with auto-approval. 404 while sign-up is closed, 409 code
   * taken, 422 unknown recruiting code, 429 too many sign-ups from this IP address.
   */
  @Public()
  @Post('signup')
  @ApiOperation({ summary: 'Sign up as a new partner (when signup.enabled)' })
  @ApiCreatedResponse({ type: SignupResponse })
  @ApiProblems({
    404: 'signup-closed: sign-up is not open',
    409: 'code-taken',
    422: 'An unknown or inactive recruiting partner',
    429: 'Too many sign-ups from this address (Retry-After)',
  })
  @HttpCode(201)
  async signUp(@Body() body: SignupRequest, @Req() request: Request): Promise<SignupResponse> {
    const wait = await this.limiter.hit(request.ip ?? 'unknown');
    if (wait > 0) {
      throw new ProblemError(429, 'Too many sign-ups from this address; try again later', undefined, {
        'Retry-After': String(wait),
      });
    }
    const closed = () => new ProblemError(404, 'Partner sign-up is not open', undefined, {}, 'signup-closed');
    if (!(await this.queries.settings()).signup.enabled) throw closed();
    const passwordHash = await PartnerCredentials.hashPassword(body.password);
    return this.database.transaction(async (tx) => {
      await lockPartnerTree(tx);
      const { signup } = await this.queries.settings(tx);
      if (!signup.enabled) throw closed();
      if (await this.queries.partnerByCode(body.code, tx)) {
        throw conflict(`The partner code ${body.code} is taken`, 'code-taken');
      }
      const recruitedBy = body.recruitedBy ?? null;
      const recruiter = recruitedBy === null ? null : await this.queries.partnerByCode(recruitedBy, tx);
      const partnerId = randomUUID();
      const events = decideSignUp({
        request: { partnerId, code: body.code, name: body.name.trim(), email: body.email, recruitedBy },
        signup,
        recruiter,
      });
      const occurredAt = new Date().toISOString();
      const written = await this.writer.write(
        [
          {
            streamId: partnerStream(partnerId),
            expectedVersion: 'no-stream',
            events: events.map((event) => ({ eventId: randomUUID(), event, occurredAt })),
          },
        ],
        { actor: SIGNUP_ACTOR },
        tx,
      );
      await this.credentials.store(partnerId, passwordHash, tx);
      const partner = readBack(await this.queries.partner(partnerId, tx), `partner ${partnerId}`);
      return {
        partnerId,
        code: body.code,
        status: partner.status,
        parentId: partner.parentId,
        position: written.position,
      };
    });
  }
}
