import { Query } from '@nestjs/cqrs';

export interface CollateralFile {
  /** The content address, also the file's entity tag. */
  sha256: string;
  contentType: string;
  bytes: Buffer;
}

/** A banner by its content address `<sha256>.<ext>`; 404 when no such file (or another extension). */
export class CollateralFileQuery extends Query<CollateralFile> {
  constructor(readonly name: string) {
    super();
  }
}
