import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { CollateralFileQuery } from './collateral-file.query';

@ApiTags('Collateral')
@Controller('collateral')
export class CollateralFilesController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * A banner by its content address `<sha256>.<ext>` (public, so partners can embed it): the stored
   * content type, cached for a year as immutable, `?download=1` as an attachment.
   */
  @Public()
  @Get(':file')
  @ApiOperation({ summary: 'A banner file by its content address' })
  @ApiProduces('image/png', 'image/jpeg', 'image/gif', 'image/svg+xml')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match)' })
  @ApiProblems({ 404: 'No such file' })
  async file(
    @Param('file') name: string,
    @Query('download') download: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const stored = await this.queries.execute(new CollateralFileQuery(name));
    const etag = `"${stored.sha256}"`;
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    response.setHeader('ETag', etag);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    // Embeddable on partners' sites; an SVG opened directly can run nothing and load nothing.
    response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    response.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    response.setHeader(
      'Content-Disposition',
      `${download === '1' ? 'attachment' : 'inline'}; filename="${name}"`,
    );
    if (ifNoneMatch === etag) {
      response.status(304).end();
      return;
    }
    response.status(200).type(stored.contentType).send(stored.bytes);
  }
}
