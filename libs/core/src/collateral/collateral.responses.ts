/** OpenAPI shapes of the collateral answers (see collateral.views.ts). */
import { ApiProperty } from '@nestjs/swagger';
import { COLLATERAL_KINDS } from '@app/domain';

export class CollateralFileResponse {
  @ApiProperty({ description: 'SHA-256 of the bytes, hex; the file is served at /collateral/<sha256>.<ext>' })
  sha256!: string;
  @ApiProperty({ enum: ['image/png', 'image/jpeg', 'image/gif', 'image/svg+xml'] })
  contentType!: string;
  @ApiProperty({ type: 'integer' })
  sizeBytes!: number;
  @ApiProperty({ type: 'integer', nullable: true })
  width!: number | null;
  @ApiProperty({ type: 'integer', nullable: true })
  height!: number | null;
}

export class CollateralEmailResponse {
  @ApiProperty({ type: 'string', nullable: true })
  subject!: string | null;
  @ApiProperty({ description: 'Plain text with a {{trackingUrl}} placeholder' })
  body!: string;
}

/** The fields every collateral answer starts with, the admin's and the partner's. */
abstract class CollateralIdentityResponse {
  @ApiProperty()
  id!: string;
  @ApiProperty({ enum: COLLATERAL_KINDS })
  kind!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ type: 'string', nullable: true })
  linkId!: string | null;
}

export class CollateralResponse extends CollateralIdentityResponse {
  @ApiProperty({ type: CollateralFileResponse, nullable: true })
  file!: CollateralFileResponse | null;
  @ApiProperty({ type: CollateralEmailResponse, nullable: true })
  email!: CollateralEmailResponse | null;
  @ApiProperty({ format: 'date-time' })
  addedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  removedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Banners: the public URL of the file' })
  fileUrl!: string | null;
}

export class CollateralWrittenResponse extends CollateralResponse {
  @ApiProperty({ description: 'Log position of the event; pass as waitFor to read your write' })
  position!: string;
}

export class PartnerCollateralResponse extends CollateralIdentityResponse {
  @ApiProperty({ type: 'string', nullable: true, description: "The partner's tracking URL it links to" })
  trackingUrl!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  fileUrl!: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  downloadUrl!: string | null;
  @ApiProperty({ type: 'integer', nullable: true })
  width!: number | null;
  @ApiProperty({ type: 'integer', nullable: true })
  height!: number | null;
  @ApiProperty({ type: 'string', nullable: true })
  contentType!: string | null;
  @ApiProperty({ description: 'Banners: HTML to paste; email: the body with the tracking URL filled in' })
  snippet!: string;
  @ApiProperty({ type: 'string', nullable: true })
  subject!: string | null;
}

export class CollateralRemovedResponse extends CollateralResponse {
  @ApiProperty({ type: 'string', nullable: true, description: 'null when it was removed before' })
  position!: string | null;
}
