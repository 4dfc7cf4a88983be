/**
 * Partner Center passwords: bcrypt hashes in partner_credentials, never in an event (a secret is not a
 * business fact) and never in a response.
 */
import { Injectable } from '@nestjs/common';
import { compare, hash } from 'bcryptjs';
import { Database, type Queryable } from '@app/platform';

const BCRYPT_COST = 10;

@Injectable()
export class PartnerCredentials {
  constructor(private readonly database: Database) {}

  /** Slow on purpose: call it before opening a transaction, not while holding locks. */
  static hashPassword(password: string): Promise<string> {
    return hash(password, BCRYPT_COST);
  }

  /** Sets the password; a new one ends the partner's Partner Center tokens (their version moves on). */
  async store(partnerId: string, passwordHash: string, tx: Queryable): Promise<void> {
    await tx.query(
      `INSERT INTO partner_credentials (partner_id, password_hash, changed_at) VALUES ($1, $2, now())
         ON CONFLICT (partner_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, changed_at = now(),
           token_version = partner_credentials.token_version + 1`,
      [partnerId, passwordHash],
    );
  }

  /** Ends every Partner Center token issued to the partner so far (it was deactivated). */
  async revokeTokens(partnerId: string, tx: Queryable): Promise<void> {
    await tx.query('UPDATE partner_credentials SET token_version = token_version + 1 WHERE partner_id = $1', [
      partnerId,
    ]);
  }

  /** Whether `password` is the partner's password; with no password given, whether it has none. */
  async matches(partnerId: string, password: string | undefined, tx?: Queryable): Promise<boolean> {
    const stored = await this.passwordHash(partnerId, tx);
    if (password === undefined) return stored === null;
    return stored !== null && (await compare(password, stored));
  }

  /** The partners among `partnerIds` that have a password. */
  async withPassword(partnerIds: readonly string[], tx?: Queryable): Promise<Set<string>> {
    if (partnerIds.length === 0) return new Set();
    const { rows } = await (tx ?? this.database).query<{ partner_id: string }>(
      'SELECT partner_id FROM partner_credentials WHERE partner_id = ANY($1)',
      [partnerIds],
    );
    return new Set(rows.map((r) => r.partner_id));
  }

  private async passwordHash(partnerId: string, tx?: Queryable): Promise<string | null> {
    const { rows } = await (tx ?? this.database).query<{ password_hash: string }>(
      'SELECT password_hash FROM partner_credentials WHERE partner_id = $1',
      [partnerId],
    );
    return rows[0]?.password_hash ?? null;
  }
}
