/**
 * Partner Center tokens: `pt.<payload>.<signature>`, an HMAC-SHA256 over the payload with a key from
 * PARTNER_TOKEN_SECRET or, when unset, one the service generates once and keeps in the database (so
 * every process and restart accepts the same tokens).
 */
import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type AppConfig, Database } from '@app/platform';
import { APP_CONFIG } from '../infrastructure/tokens';
import { PartnerTokenVerifier } from './auth.guard';
import type { Caller } from './caller';

const PREFIX = 'pt.';
export const PARTNER_TOKEN_TTL_SECONDS = 8 * 3600;

interface TokenPayload {
  sub: string;
  code: string;
  exp: number;
}

@Injectable()
export class PartnerTokenService extends PartnerTokenVerifier {
  private key: Promise<Buffer> | null = null;

  constructor(
    private readonly database: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  private signingKey(): Promise<Buffer> {
    if (this.config.partnerTokenSecret)
      return Promise.resolve(Buffer.from(this.config.partnerTokenSecret, 'utf8'));
    this.key ??= (async () => {
      await this.database.query(
        `INSERT INTO service_secrets (name, secret) VALUES ('partner-token', $1) ON CONFLICT (name) DO NOTHING`,
        [randomBytes(32)],
      );
      const { rows } = await this.database.query<{ secret: Buffer }>(
        `SELECT secret FROM service_secrets WHERE name = 'partner-token'`,
      );
      if (!rows[0]) throw new Error('partner-token secret missing');
      return rows[0].secret;
    })().catch((error: unknown) => {
      this.key = null;
      throw error;
    });
    return this.key;
  }

  async issue(
    partnerId: string,
    code: string,
    now = Date.now(),
  ): Promise<{ token: string; expiresAt: string }> {
    const exp = Math.floor(now / 1000) + PARTNER_TOKEN_TTL_SECONDS;
    const payload = Buffer.from(
      JSON.stringify({ sub: partnerId, code, exp } satisfies TokenPayload),
    ).toString('base64url');
    const signature = createHmac('sha256', await this.signingKey())
      .update(payload)
      .digest('base64url');
    return { token: `${PREFIX}${payload}.${signature}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string): Promise<Caller | null> {
    if (!token.startsWith(PREFIX)) return null;
    const [payload, signature] = token.slice(PREFIX.length).split('.');
    if (!payload || !signature) return null;
    const expected = createHmac('sha256', await this.signingKey())
      .update(payload)
      .digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let parsed: TokenPayload;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenPayload;
    } catch {
      return null;
    }
    if (typeof parsed.sub !== 'string' || typeof parsed.exp !== 'number' || parsed.exp * 1000 <= Date.now())
      return null;
    return { role: 'partner', name: parsed.code, partnerId: parsed.sub };
  }
}
