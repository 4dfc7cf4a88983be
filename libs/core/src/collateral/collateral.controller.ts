/**
 * Collateral for partners (seed 004): admins upload banners and email copy; partners get them with
 * their tracking URL filled in. Additions and removals are events; banner bytes are stored outside
 * the log, addressed by their SHA-256, and served publicly so that partners can embed them.
 */
import { ApiProblems } from '../openapi/api-docs';
import { ApiResponse } from '@nestjs/swagger';
import {
  CollateralRemovedResponse,
  CollateralResponse,
  CollateralWrittenResponse,
} from './collateral.responses';
import {
  Body,
  Controller,
  Delete,
  Get,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
  Headers,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { type CollateralAddedData, DomainRuleViolation, domainEvent } from '@app/domain';
import { type AppConfig, Database, ProblemError, badRequest, notFound, readBack } from '@app/platform';
import { type Caller, CurrentCaller, actorOf } from '../auth/caller';
import { Roles, Public } from '../auth/roles.decorator';
import { lockStream } from '../configuration/configuration.streams';
import { InjectConfig } from '../infrastructure/infrastructure.module';
import { EventWriter } from '../write-model/event-writer';
import { WriteModelQueries } from '../write-model/write-model.queries';
import { BANNER_MAX_BYTES, BANNER_TYPES, hasTrackingUrlPlaceholder, sniffBanner } from './banner-file';
import { AddCollateralRequest, ListCollateralRequest } from './collateral.request';
import { CollateralStore } from './collateral.store';
import { collateralView } from './collateral.views';

export const collateralStream = (id: string): string => `collateral-${id}`;

/** What multer hands over for the `file` part. */
interface UploadedPart {
  buffer: Buffer;
  size: number;
  originalname: string;
}

@ApiTags('Collateral')
@ApiBearerAuth()
@Controller('v1/collateral')
export class CollateralController {
  constructor(
    private readonly database: Database,
    private readonly writer: EventWriter,
    private readonly queries: WriteModelQueries,
    private readonly store: CollateralStore,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * multipart/form-data: `kind` (banner|email), `name`, optional `linkId`; a banner's `file` (PNG, JPEG,
   * GIF or SVG by content; SVG that could run scripts or load anything is refused), an email's `body`
   * (with `{{trackingUrl}}`) and optional `subject`. 201 with the collateral; 400 missing parts or no
   * placeholder, 413 too large, 415 not an accepted image, 422 unknown link.
   */
  @Roles()
  @Post()
  @ApiOperation({ summary: 'Upload a banner or add email copy' })
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
  ): Promise<CollateralWrittenResponse> {
    const data: CollateralAddedData = {
      collateralId: randomUUID(),
      kind: body.kind,
      name: body.name.trim(),
      linkId: body.linkId ?? null,
      file: null,
      email: null,
    };
    let bytes: Buffer | null = null;
    if (body.kind === 'banner') {
      if (!upload) throw badRequest('A banner needs its image', [{ path: 'file', message: 'is required' }]);
      if (body.body !== undefined || body.subject !== undefined) {
        throw badRequest('A banner has no email text', [{ path: 'body', message: 'is only for email copy' }]);
      }
      const sniffed = sniffBanner(upload.buffer);
      if (!sniffed.ok) {
        throw new ProblemError(415, `Not an accepted banner: ${sniffed.reason}`, [
          { path: 'file', message: sniffed.reason },
        ]);
      }
      bytes = upload.buffer;
      data.file = {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        contentType: sniffed.contentType,
        sizeBytes: bytes.length,
        width: sniffed.width,
        height: sniffed.height,
      };
    } else {
      if (upload)
        throw badRequest('Email copy has no file', [{ path: 'file', message: 'is only for banners' }]);
      if (body.body === undefined) {
        throw badRequest('Email copy needs its text', [{ path: 'body', message: 'is required' }]);
      }
      if (!hasTrackingUrlPlaceholder(body.body)) {
        throw badRequest('The email copy has no tracking URL placeholder', [
          { path: 'body', message: 'must contain {{trackingUrl}}' },
        ]);
      }
      data.email = { subject: body.subject ?? null, body: body.body };
    }
    return this.database.transaction(async (tx) => {
      if (data.linkId !== null && !(await this.queries.link(data.linkId, tx))) {
        throw new DomainRuleViolation('unknown-link', `unknown link ${data.linkId}`, 'linkId');
      }
      if (bytes && data.file) await this.store.storeFile(data.file.sha256, data.file.contentType, bytes, tx);
      const written = await this.writer.write(
        [
          {
            streamId: collateralStream(data.collateralId),
            expectedVersion: 'no-stream',
            events: [
              {
                eventId: randomUUID(),
                event: domainEvent('CollateralAdded', data),
                occurredAt: new Date().toISOString(),
              },
            ],
          },
        ],
        { actor: actorOf(caller) },
        tx,
      );
      const record = readBack(await this.store.one(data.collateralId, tx), `collateral ${data.collateralId}`);
      return { ...collateralView(record, this.config.publicBaseUrl), position: written.position };
    });
  }

  /** Current collateral (`includeRemoved=true`: removed too, with `removedAt`), oldest first. */
  @Roles('auditor')
  @Get()
  @ApiOperation({ summary: 'List the collateral (removed items with includeRemoved)' })
  @ApiOkResponse({ type: [CollateralResponse] })
  async list(@Query() request: ListCollateralRequest): Promise<CollateralResponse[]> {
    const records = await this.store.list(request.includeRemoved === 'true');
    return records.map((record) => collateralView(record, this.config.publicBaseUrl));
  }

  /**
   * Withdraws collateral from the Partner Center with a `CollateralRemoved` event; the addition and
   * the file stay on record (and the file's URL keeps working for pages that embed it). 404 unknown.
   */
  @Roles()
  @Delete(':id')
  @ApiOperation({ summary: 'Remove collateral (a new event; its file stays reachable)' })
  @ApiOkResponse({ type: CollateralRemovedResponse })
  @ApiProblems({ 404: 'No such collateral' })
  async remove(
    @Param('id') id: string,
    @CurrentCaller() caller?: Caller,
  ): Promise<CollateralRemovedResponse> {
    return this.database.transaction(async (tx) => {
      await lockStream(tx, collateralStream(id));
      const record = await this.store.one(id, tx);
      if (!record) throw notFound(`No collateral ${id}`);
      let position: string | null = null;
      if (record.removedAt === null) {
        const written = await this.writer.write(
          [
            {
              streamId: collateralStream(id),
              events: [
                {
                  eventId: randomUUID(),
                  event: domainEvent('CollateralRemoved', { collateralId: id }),
                  occurredAt: new Date().toISOString(),
                },
              ],
            },
          ],
          { actor: actorOf(caller) },
          tx,
        );
        position = written.position;
      }
      const removed = readBack(await this.store.one(id, tx), `collateral ${id}`);
      return { ...collateralView(removed, this.config.publicBaseUrl), position };
    });
  }
}

const FILE_NAME = /^([0-9a-f]{64})\.(png|jpg|gif|svg)$/;

@ApiTags('Collateral')
@Controller('collateral')
export class CollateralFilesController {
  constructor(private readonly store: CollateralStore) {}

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
    const [, sha256, extension] = FILE_NAME.exec(name) ?? [];
    const stored = sha256 === undefined ? null : await this.store.file(sha256);
    if (
      sha256 === undefined ||
      !stored ||
      BANNER_TYPES[stored.contentType as keyof typeof BANNER_TYPES] !== extension
    ) {
      throw notFound(`No collateral file ${name}`);
    }
    const etag = `"${sha256}"`;
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
