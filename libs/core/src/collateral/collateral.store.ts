/** The collateral write model and the content-addressed file table, read and written in one place. */
import { Injectable } from '@nestjs/common';
import type { CollateralEmail, CollateralFile, CollateralKind } from '@app/domain';
import { Database, type Queryable } from '@app/platform';
import { BANNER_TYPES, type BannerContentType } from './banner-file';

export interface CollateralRecord {
  id: string;
  kind: CollateralKind;
  name: string;
  linkId: string | null;
  file: CollateralFile | null;
  email: CollateralEmail | null;
  addedAt: string;
  removedAt: string | null;
}

interface Row {
  collateral_id: string;
  kind: CollateralKind;
  name: string;
  link_id: string | null;
  file: CollateralFile | null;
  email: CollateralEmail | null;
  added_at: Date;
  removed_at: Date | null;
}

const toRecord = (r: Row): CollateralRecord => ({
  id: r.collateral_id,
  kind: r.kind,
  name: r.name,
  linkId: r.link_id,
  file: r.file,
  email: r.email,
  addedAt: r.added_at.toISOString(),
  removedAt: r.removed_at?.toISOString() ?? null,
});

/** `<sha256>.<ext>`: the public file name of a banner. */
export function bannerFileName(file: Pick<CollateralFile, 'sha256' | 'contentType'>): string {
  return `${file.sha256}.${BANNER_TYPES[file.contentType as BannerContentType] ?? 'bin'}`;
}

@Injectable()
export class CollateralStore {
  constructor(private readonly database: Database) {}

  async storeFile(sha256: string, contentType: string, bytes: Buffer, tx: Queryable): Promise<void> {
    await tx.query(
      `INSERT INTO collateral_files (sha256, content_type, size_bytes, bytes) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sha256) DO NOTHING`,
      [sha256, contentType, bytes.length, bytes],
    );
  }

  async file(sha256: string): Promise<{ contentType: string; bytes: Buffer } | null> {
    const { rows } = await this.database.query<{ content_type: string; bytes: Buffer }>(
      'SELECT content_type, bytes FROM collateral_files WHERE sha256 = $1',
      [sha256],
    );
    return rows[0] ? { contentType: rows[0].content_type, bytes: rows[0].bytes } : null;
  }

  async one(id: string, tx?: Queryable): Promise<CollateralRecord | null> {
    const { rows } = await (tx ?? this.database).query<Row>(
      'SELECT * FROM collateral WHERE collateral_id = $1',
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(includeRemoved: boolean): Promise<CollateralRecord[]> {
    const { rows } = await this.database.query<Row>(
      `SELECT * FROM collateral WHERE $1 OR removed_at IS NULL ORDER BY added_at, collateral_id`,
      [includeRemoved],
    );
    return rows.map(toRecord);
  }
}
