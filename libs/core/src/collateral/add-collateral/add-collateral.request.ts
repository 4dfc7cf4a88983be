import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, MaxLength } from 'class-validator';
import { COLLATERAL_KINDS, type CollateralKind } from '@app/domain';
import { IsName, IsResourceId, OptionalNotNull } from '../../configuration/configuration.validation';

export const EMAIL_BODY_MAX_LENGTH = 20_000;

/** The text fields of the multipart upload (`file` is the banner's part). */
export class AddCollateralRequest {
  @ApiProperty({ enum: COLLATERAL_KINDS })
  @IsIn(COLLATERAL_KINDS)
  kind!: CollateralKind;

  @ApiProperty({ example: 'Spring banner 468x60' })
  @IsName()
  name!: string;

  @ApiPropertyOptional({ description: "The link whose tracking URL the partners' snippets use" })
  @OptionalNotNull()
  @IsResourceId()
  linkId?: string;

  @ApiPropertyOptional({ description: 'Email: the subject line (may hold {{trackingUrl}})' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(500)
  subject?: string;

  @ApiPropertyOptional({ description: 'Email: the text, with at least one {{trackingUrl}} placeholder' })
  @OptionalNotNull()
  @IsString()
  @Length(1, EMAIL_BODY_MAX_LENGTH)
  body?: string;
}
