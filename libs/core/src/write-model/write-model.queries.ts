/** Reads of the write model, for command handlers (inside their transaction) and lookups. */
import { Injectable } from '@nestjs/common';
import { normalizeSettings, type Partner, type Program, type Settings } from '@app/domain';
import { Database, type Queryable } from '@app/platform';

export interface PartnerRow {
  partner_id: string;
  code: string;
  name: string;
  email: string | null;
  parent_id: string | null;
  program_ids: string[];
  status: 'active' | 'inactive';
  lead_cookie_days: number | null;
  notify_on_lead: boolean;
  notify_on_sale: boolean;
  enrolled_at: Date;
  updated_at: Date;
}

export interface PartnerRecord extends Partner {
  readonly enrolledAt: string;
  readonly updatedAt: string;
}

export interface LinkRecord {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly destinationUrl: string;
  readonly programId: string | null;
  readonly definedAt: string;
}

export interface AdRecord {
  readonly id: string;
  readonly partnerId: string;
  readonly linkId: string;
  readonly name: string;
  readonly medium: string;
  readonly createdAt: string;
}

export const PARTNER_COLUMNS = `partner_id, code, name, email, parent_id, program_ids, status, lead_cookie_days, notify_on_lead,
  notify_on_sale, enrolled_at, updated_at`;

export function toPartner(row: PartnerRow): PartnerRecord {
  return {
    id: row.partner_id,
    code: row.code,
    name: row.name,
    email: row.email,
    parentId: row.parent_id,
    programIds: row.program_ids,
    status: row.status,
    leadCookieDays: row.lead_cookie_days,
    notifyOnLead: row.notify_on_lead,
    notifyOnSale: row.notify_on_sale,
    enrolledAt: row.enrolled_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toLink(row: {
  link_id: string;
  code: string;
  name: string;
  destination_url: string;
  program_id: string | null;
  defined_at: Date;
}): LinkRecord {
  return {
    id: row.link_id,
    code: row.code,
    name: row.name,
    destinationUrl: row.destination_url,
    programId: row.program_id,
    definedAt: row.defined_at.toISOString(),
  };
}

export interface AdRow {
  ad_id: string;
  partner_id: string;
  link_id: string;
  name: string;
  medium: string;
  created_at: Date;
}

export function toAd(row: AdRow): AdRecord {
  return {
    id: row.ad_id,
    partnerId: row.partner_id,
    linkId: row.link_id,
    name: row.name,
    medium: row.medium,
    createdAt: row.created_at.toISOString(),
  };
}

@Injectable()
export class WriteModelQueries {
  constructor(private readonly database: Database) {}

  private q(tx?: Queryable): Queryable {
    return tx ?? this.database;
  }

  async settings(tx?: Queryable): Promise<Settings> {
    const { rows } = await this.q(tx).query<{ settings: Settings }>('SELECT settings FROM settings_current');
    return normalizeSettings(rows[0]?.settings ?? {});
  }

  async partner(id: string, tx?: Queryable): Promise<PartnerRecord | null> {
    const { rows } = await this.q(tx).query<PartnerRow>(
      `SELECT ${PARTNER_COLUMNS} FROM partners WHERE partner_id = $1`,
      [id],
    );
    return rows[0] ? toPartner(rows[0]) : null;
  }

  async partnerByCode(code: string, tx?: Queryable): Promise<PartnerRecord | null> {
    const { rows } = await this.q(tx).query<PartnerRow>(
      `SELECT ${PARTNER_COLUMNS} FROM partners WHERE lower(code) = lower($1)`,
      [code],
    );
    return rows[0] ? toPartner(rows[0]) : null;
  }

  async partnersByIds(ids: readonly string[], tx?: Queryable): Promise<Map<string, PartnerRecord>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.q(tx).query<PartnerRow>(
      `SELECT ${PARTNER_COLUMNS} FROM partners WHERE partner_id = ANY($1)`,
      [ids],
    );
    return new Map(rows.map((r) => [r.partner_id, toPartner(r)]));
  }

  /** By lower-cased code. */
  async partnersByCodes(codes: readonly string[], tx?: Queryable): Promise<Map<string, PartnerRecord>> {
    if (codes.length === 0) return new Map();
    const { rows } = await this.q(tx).query<PartnerRow>(
      `SELECT ${PARTNER_COLUMNS} FROM partners WHERE lower(code) = ANY($1)`,
      [codes.map((c) => c.toLowerCase())],
    );
    return new Map(rows.map((r) => [r.code.toLowerCase(), toPartner(r)]));
  }

  async listPartners(tx?: Queryable): Promise<PartnerRecord[]> {
    const { rows } = await this.q(tx).query<PartnerRow>(
      `SELECT ${PARTNER_COLUMNS} FROM partners ORDER BY partner_id`,
    );
    return rows.map(toPartner);
  }

  /** partner id -> parent id, for cycle checks. */
  async parentMap(tx?: Queryable): Promise<Map<string, string | null>> {
    const { rows } = await this.q(tx).query<{ partner_id: string; parent_id: string | null }>(
      'SELECT partner_id, parent_id FROM partners',
    );
    return new Map(rows.map((r) => [r.partner_id, r.parent_id]));
  }

  async program(id: string, tx?: Queryable): Promise<Program | null> {
    const { rows } = await this.q(tx).query<{ definition: Program }>(
      'SELECT definition FROM programs WHERE program_id = $1',
      [id],
    );
    return rows[0]?.definition ?? null;
  }

  async programsByIds(ids: readonly string[], tx?: Queryable): Promise<Map<string, Program>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.q(tx).query<{ definition: Program }>(
      'SELECT definition FROM programs WHERE program_id = ANY($1)',
      [ids],
    );
    return new Map(rows.map((r) => [r.definition.id, r.definition]));
  }

  async listPrograms(tx?: Queryable): Promise<Program[]> {
    const { rows } = await this.q(tx).query<{ definition: Program }>(
      'SELECT definition FROM programs ORDER BY program_id',
    );
    return rows.map((r) => r.definition);
  }

  async link(id: string, tx?: Queryable): Promise<LinkRecord | null> {
    const { rows } = await this.q(tx).query<Parameters<typeof toLink>[0]>(
      'SELECT * FROM links WHERE link_id = $1',
      [id],
    );
    return rows[0] ? toLink(rows[0]) : null;
  }

  async linkByCode(code: string, tx?: Queryable): Promise<LinkRecord | null> {
    const { rows } = await this.q(tx).query<Parameters<typeof toLink>[0]>(
      'SELECT * FROM links WHERE lower(code) = lower($1)',
      [code],
    );
    return rows[0] ? toLink(rows[0]) : null;
  }

  /** By lower-cased code. */
  async linksByCodes(codes: readonly string[], tx?: Queryable): Promise<Map<string, LinkRecord>> {
    if (codes.length === 0) return new Map();
    const { rows } = await this.q(tx).query<Parameters<typeof toLink>[0]>(
      'SELECT * FROM links WHERE lower(code) = ANY($1)',
      [codes.map((c) => c.toLowerCase())],
    );
    return new Map(rows.map((r) => [r.code.toLowerCase(), toLink(r)]));
  }

  async listLinks(tx?: Queryable): Promise<LinkRecord[]> {
    const { rows } = await this.q(tx).query<Parameters<typeof toLink>[0]>(
      'SELECT * FROM links ORDER BY link_id',
    );
    return rows.map(toLink);
  }

  async ad(id: string, tx?: Queryable): Promise<AdRecord | null> {
    const { rows } = await this.q(tx).query<AdRow>('SELECT * FROM ads WHERE ad_id = $1', [id]);
    return rows[0] ? toAd(rows[0]) : null;
  }

  async adsByIds(ids: readonly string[], tx?: Queryable): Promise<Map<string, AdRecord>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.q(tx).query<AdRow>('SELECT * FROM ads WHERE ad_id = ANY($1)', [ids]);
    return new Map(rows.map((r) => [r.ad_id, toAd(r)]));
  }

  async adsOfPartner(partnerId: string, tx?: Queryable): Promise<AdRecord[]> {
    const { rows } = await this.q(tx).query<AdRow>('SELECT * FROM ads WHERE partner_id = $1 ORDER BY ad_id', [
      partnerId,
    ]);
    return rows.map(toAd);
  }
}
