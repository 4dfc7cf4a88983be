import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import { type CollateralAddedData, DomainRuleViolation, domainEvent } from '@app/domain';
import { type AppConfig, Database, ProblemError, badRequest, notFound } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { APP_CONFIG } from '../../infrastructure/tokens';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { hasTrackingUrlPlaceholder, sniffBanner } from '../banner-file';
import { collateralStream } from '../collateral-streams';
import { CollateralStore } from '../collateral.store';
import { collateralView } from '../collateral.views';
import { AddCollateralCommand, type CollateralWritten } from './add-collateral.command';

@CommandHandler(AddCollateralCommand)
export class AddCollateralHandler implements ICommandHandler<AddCollateralCommand> {
  constructor(
    private readonly database: Database,
    private readonly writer: EventWriter,
    private readonly queries: WriteModelQueries,
    private readonly store: CollateralStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ request, upload, caller }: AddCollateralCommand): Promise<CollateralWritten> {
    const data: CollateralAddedData = {
      collateralId: randomUUID(),
      kind: request.kind,
      name: request.name.trim(),
      linkId: request.linkId ?? null,
      file: null,
      email: null,
    };
    let bytes: Buffer | null = null;
    if (request.kind === 'banner') {
      if (!upload) throw badRequest('A banner needs its image', [{ path: 'file', message: 'is required' }]);
      if (request.body !== undefined || request.subject !== undefined) {
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
      if (request.body === undefined) {
        throw badRequest('Email copy needs its text', [{ path: 'body', message: 'is required' }]);
      }
      if (!hasTrackingUrlPlaceholder(request.body)) {
        throw badRequest('The email copy has no tracking URL placeholder', [
          { path: 'body', message: 'must contain {{trackingUrl}}' },
        ]);
      }
      data.email = { subject: request.subject ?? null, body: request.body };
    }
    return this.database.transaction(async (tx) => {
      if (data.linkId !== null && !(await this.queries.link(data.linkId, tx))) {
        throw new DomainRuleViolation('unknown-link', `unknown link ${data.linkId}`, 'linkId');
      }
      if (bytes && data.file) await this.store.storeFile(data.file.sha256, data.file.contentType, bytes, tx);
      const written = await this.writer.writeOne(
        {
          streamId: collateralStream(data.collateralId),
          expectedVersion: 'no-stream',
          event: domainEvent('CollateralAdded', data),
        },
        { actor: actorOf(caller) },
        tx,
      );
      const record = await this.store.one(data.collateralId, tx);
      if (!record) throw notFound(`No collateral ${data.collateralId}`);
      return { ...collateralView(record, this.config.publicBaseUrl), position: written.position };
    });
  }
}
