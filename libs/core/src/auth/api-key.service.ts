/** API keys: random, shown once, stored only as a SHA-256 hash (they have full entropy, so no slow hash). */
import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type AppConfig, Database } from '@app/platform';
import { APP_CONFIG } from '../infrastructure/tokens';
import type { Caller } from './caller';
import type { Role } from './roles.decorator';

export type KeyRole = Exclude<Role, 'partner'>;

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: KeyRole;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

@Injectable()
export class ApiKeyService {
  private readonly bootstrapDigest: Buffer;
  /**
   * The admin key of this run when ADMIN_API_KEY is not set: the API process prints it once with its
   * start-up summary, so that a development start is usable; production sets ADMIN_API_KEY.
   */
  readonly generatedAdminKey: string | null;

  constructor(
    private readonly database: Database,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const adminKey = config.adminApiKey ?? `rl_${randomBytes(24).toString('base64url')}`;
    this.generatedAdminKey = config.adminApiKey === null ? adminKey : null;
    this.bootstrapDigest = digest(adminKey);
  }

  async authenticate(presented: string): Promise<Caller | null> {
    const presentedDigest = digest(presented);
    if (timingSafeEqual(presentedDigest, this.bootstrapDigest))
      return { role: 'admin', name: 'bootstrap-admin' };
    const { rows } = await this.database.query<{ name: string; role: KeyRole; key_hash: Buffer }>(
      'SELECT name, role, key_hash FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [presentedDigest],
    );
    const row = rows[0];
    if (!row || !timingSafeEqual(row.key_hash, presentedDigest)) return null;
    return { role: row.role, name: row.name };
  }

  async create(
    name: string,
    role: KeyRole,
    createdBy: string,
  ): Promise<{ id: string; key: string; name: string; role: KeyRole }> {
    const id = randomUUID();
    const key = `rl_${randomBytes(24).toString('base64url')}`;
    await this.database.query(
      'INSERT INTO api_keys (id, name, role, key_hash, created_by) VALUES ($1, $2, $3, $4, $5)',
      [id, name, role, digest(key), createdBy],
    );
    return { id, key, name, role };
  }

  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.database.query(
      'UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1',
      [id],
    );
    return (rowCount ?? 0) > 0;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.database.query<{
      id: string;
      name: string;
      role: KeyRole;
      created_at: Date;
      revoked_at: Date | null;
    }>('SELECT id, name, role, created_at, revoked_at FROM api_keys ORDER BY created_at, id');
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      createdAt: r.created_at.toISOString(),
      revokedAt: r.revoked_at?.toISOString() ?? null,
    }));
  }
}
