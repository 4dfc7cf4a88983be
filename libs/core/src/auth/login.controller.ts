/** Partner Center sign-in: code + password, answered with a signed token that expires. */
import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Request } from 'express';
import { compare } from 'bcryptjs';
import { Database, ProblemError } from '@app/platform';
import { AttemptLimiter } from './attempt-limiter';
import { PartnerTokenService } from './partner-token.service';
import { Public } from './roles.decorator';
import { PartnerTokenResponse } from './auth.responses';
import { ApiProblems } from '../openapi/api-docs';

export class LoginRequest {
  @IsString()
  @Length(1, 128)
  code!: string;

  @IsString()
  @Length(1, 200)
  password!: string;
}

// Compared against when the code is unknown, so that both cases take the time of one bcrypt check.
const DUMMY_HASH = '$2b$10$b.LeJIRzJDFNxbg7BjZqjOSd83nPBe/O1X/7bVeNGGBpAu4UoE4DK';

/** Failed sign-ins allowed per partner code and per client IP in a sliding window. */
export const SIGN_IN_LIMITS = {
  perCode: { max: 5, windowMs: 15 * 60_000 },
  perIp: { max: 20, windowMs: 15 * 60_000 },
} as const;

@ApiTags('Partner Center')
@Controller('v1/partner-center')
export class LoginController {
  constructor(
    private readonly database: Database,
    private readonly tokens: PartnerTokenService,
    private readonly limiter: AttemptLimiter,
  ) {}

  /**
   * The attempt is counted before the password is checked and forgiven only when it was right, so
   * at most 5 wrong passwords per code (20 per IP) are ever checked per window, across every process.
   */
  @ApiOperation({
    summary: 'Sign in to the Partner Center',
    description:
      'Code and password; answers a token valid for 8 hours. Failed sign-ins are limited per code and per IP.',
  })
  @ApiOkResponse({ type: PartnerTokenResponse })
  @ApiProblems({
    401: 'Unknown partner code or wrong password',
    403: 'pending-approval (a sign-up not approved yet) or partner-not-active',
    429: 'Too many failed sign-ins; see `Retry-After`',
  })
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginRequest, @Req() request: Request): Promise<PartnerTokenResponse> {
    const reservation = await this.limiter.reserve([
      { limiter: 'sign-in:code', key: body.code.toLowerCase(), ...SIGN_IN_LIMITS.perCode },
      { limiter: 'sign-in:ip', key: request.ip ?? 'unknown', ...SIGN_IN_LIMITS.perIp },
    ]);
    if (!reservation.granted) {
      throw new ProblemError(429, 'Too many failed sign-ins; try again later', undefined, {
        'Retry-After': String(reservation.retryAfterSeconds),
      });
    }
    const { rows } = await this.database.query<{
      partner_id: string;
      code: string;
      status: string;
      password_hash: string | null;
      token_version: number | null;
    }>(
      `SELECT p.partner_id, p.code, p.status, c.password_hash, c.token_version FROM partners p
         LEFT JOIN partner_credentials c ON c.partner_id = p.partner_id
        WHERE lower(p.code) = lower($1)`,
      [body.code],
    );
    const partner = rows[0];
    const ok = await compare(body.password, partner?.password_hash ?? DUMMY_HASH);
    if (!partner || !partner.password_hash || partner.token_version === null || !ok) {
      throw new ProblemError(401, 'Unknown partner code or wrong password');
    }
    await this.limiter.release(reservation);
    if (partner.status === 'pending') {
      // The password was right, so saying why is no help to a guesser.
      throw new ProblemError(403, 'Your sign-up awaits approval', undefined, {}, 'pending-approval');
    }
    if (partner.status !== 'active') {
      throw new ProblemError(403, 'This partner is not active', undefined, {}, 'partner-not-active');
    }
    return this.tokens.issue(partner.partner_id, partner.code, partner.token_version);
  }
}
