import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { compare } from 'bcryptjs';
import { Database, ProblemError } from '@app/platform';
import { AttemptLimiter } from '../attempt-limiter';
import { PartnerTokenService } from '../partner-token.service';
import { type PartnerToken, SignInCommand } from './sign-in.command';

// Compared against when the code is unknown, so that both cases take the time of one bcrypt check.
const DUMMY_HASH = '$2b$10$b.LeJIRzJDFNxbg7BjZqjOSd83nPBe/O1X/7bVeNGGBpAu4UoE4DK';

/** Failed sign-ins allowed per partner code and per client IP in a sliding window. */
const SIGN_IN_LIMITS = {
  perCode: { max: 5, windowMs: 15 * 60_000 },
  perIp: { max: 20, windowMs: 15 * 60_000 },
} as const;

@CommandHandler(SignInCommand)
export class SignInHandler implements ICommandHandler<SignInCommand> {
  constructor(
    private readonly database: Database,
    private readonly tokens: PartnerTokenService,
    private readonly limiter: AttemptLimiter,
  ) {}

  /**
   * The attempt is counted before the password is checked and forgiven only when it was right, so
   * at most 5 wrong passwords per code (20 per IP) are ever checked per window, across every process.
   */
  async execute({ code, password, ip }: SignInCommand): Promise<PartnerToken> {
    const reservation = await this.limiter.reserve([
      { limiter: 'sign-in:code', key: code.toLowerCase(), ...SIGN_IN_LIMITS.perCode },
      { limiter: 'sign-in:ip', key: ip, ...SIGN_IN_LIMITS.perIp },
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
      [code],
    );
    const partner = rows[0];
    const ok = await compare(password, partner?.password_hash ?? DUMMY_HASH);
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
