import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/platform';
import { BANNER_TYPES } from '../banner-file';
import { CollateralStore } from '../collateral.store';
import { type CollateralFile, CollateralFileQuery } from './collateral-file.query';

const FILE_NAME = /^([0-9a-f]{64})\.(png|jpg|gif|svg)$/;

@QueryHandler(CollateralFileQuery)
export class CollateralFileHandler implements IQueryHandler<CollateralFileQuery> {
  constructor(private readonly store: CollateralStore) {}

  async execute({ name }: CollateralFileQuery): Promise<CollateralFile> {
    const match = FILE_NAME.exec(name);
    const sha256 = match?.[1];
    const stored = sha256 === undefined ? null : await this.store.file(sha256);
    if (
      sha256 === undefined ||
      !stored ||
      BANNER_TYPES[stored.contentType as keyof typeof BANNER_TYPES] !== match?.[2]
    ) {
      throw notFound(`No collateral file ${name}`);
    }
    return { sha256, ...stored };
  }
}
