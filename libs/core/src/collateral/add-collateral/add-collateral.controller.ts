/**
 * Collateral for partners (seed 004): admins upload banners and email copy; partners get them with
 * their tracking URL filled in. Additions and removals are events; banner bytes are stored outside
 * the log, addressed by their SHA-256, and served publicly so that partners can embed them.
 */
import { Body, Controller, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { BANNER_MAX_BYTES } from '../banner-file';
import { CollateralWrittenResponse } from '../collateral.responses';
import { AddCollateralCommand, type CollateralWritten, type UploadedPart } from './add-collateral.command';
import { AddCollateralRequest } from './add-collateral.request';

@ApiTags('Collateral')
@ApiBearerAuth()
@Controller('v1/collateral')
export class AddCollateralController {
  constructor(private readonly commands: CommandBus) {}

  /**
   * multipart/form-data: `kind` (banner|email), `name`, optional `linkId`; a banner's `file` (PNG, JPEG,
   * GIF or SVG by content; SVG that could run scripts or load anything is refused), an email's `body`
   * (with `{{trackingUrl}}`) and optional `subject`. 201 with the collateral; 400 missing parts or no
   * placeholder, 413 too large, 415 not an accepted image, 422 unknown link.
   */
  @Roles()
  @Post()
  @ApiOperation({ operationId: 'Collateral_add', summary: 'Upload a banner or add email copy' })
  @ApiCreatedResponse({ type: CollateralWrittenResponse })
  @ApiProblems({
    404: 'No such link',
    409: 'The id is taken by other content',
    422: 'A file that is not an allowed image, or is too large',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['kind', 'name'],
      properties: {
        kind: { type: 'string', enum: ['banner', 'email'] },
        name: { type: 'string' },
        linkId: { type: 'string' },
        subject: { type: 'string', description: 'Email: the subject line (may hold {{trackingUrl}})' },
        body: { type: 'string', description: 'Email: the text, with at least one {{trackingUrl}}' },
        file: {
          type: 'string',
          format: 'binary',
          description: `Banner: PNG, JPEG, GIF or SVG, at most ${BANNER_MAX_BYTES} bytes, checked by content`,
        },
      },
    },
  })
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: BANNER_MAX_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 },
    }),
  )
  async add(
    @Body() body: AddCollateralRequest,
    @CurrentCaller() caller?: Caller,
    @UploadedFile() upload?: UploadedPart,
  ): Promise<CollateralWritten> {
    return this.commands.execute(new AddCollateralCommand(body, upload, caller));
  }
}
