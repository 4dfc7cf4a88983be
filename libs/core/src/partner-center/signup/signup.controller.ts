/**
 * Partner Center sign-up: a public form that records a new partner as events (`PartnerSignedUp`, and
 * `PartnerApproved` when `signup.autoApprove` is on). Closed (404) unless `signup.enabled`.
 */
import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ProblemError } from '@app/platform';
import { Public } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { SignupRateLimiter } from './signup-rate-limiter';
import { type SignedUp, SignUpCommand } from './signup.command';
import { SignupRequest } from './signup.request';
import { SignupResponse } from './signup.response';

@ApiTags('Partner Center')
@Controller('v1/partner-center')
export class SignupController {
  constructor(
    private readonly commands: CommandBus,
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
  async signUp(@Body() body: SignupRequest, @Req() request: Request): Promise<SignedUp> {
    // Limited per client address, before any work: an HTTP concern, like the Retry-After it answers.
    const wait = await this.limiter.hit(request.ip ?? 'unknown');
    if (wait > 0) {
      throw new ProblemError(429, 'Too many sign-ups from this address; try again later', undefined, {
        'Retry-After': String(wait),
      });
    }
    return this.commands.execute(new SignUpCommand(body));
  }
}
