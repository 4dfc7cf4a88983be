/**
 * Partner Center tokens: `pt.<payload>.<signature>`, an HMAC-SHA256 over the payload with a key from
 * PARTNER_TOKEN_SECRET or, when unset, one the service generates once and keeps in the database (so
 * every process and restart accepts the same tokens). The payload carries the version of the partner's
 * credentials; a token is accepted only while the partner is active and that version is current, so
 * setting a password or deactivating the partner ends every token issued before.
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
  /** partner_credentials.token_version when the token was issued. */
  ver: number;
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
    credentialsVersion: number,
    now = Date.now(),
  ): Promise<{ token: string; expiresAt: string }> {
    const exp = Math.floor(now / 1000) + PARTNER_TOKEN_TTL_SECONDS;
    const payload = Buffer.from(
      JSON.stringify({ sub: partnerId, code, ver: credentialsVersion, exp } satisfies TokenPayload),
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
    if (
      typeof parsed.sub !== 'string' ||
      typeof parsed.ver !== 'number' ||
      typeof parsed.exp !== 'number' ||
      parsed.exp * 1000 <= Date.now()
    )
      return null;
    const { rows } = await this.database.query<{ status: string; token_version: number }>(
      `SELECT p.status, c.token_version FROM partners p
         JOIN partner_credentials c ON c.partner_id = p.partner_id
        WHERE p.partner_id = $1`,
      [parsed.sub],
    );
    const current = rows[0];
    if (!current || current.status !== 'active' || current.token_version !== parsed.ver) return null;
    return { role: 'partner', name: parsed.code, partnerId: parsed.sub };
  }
}
