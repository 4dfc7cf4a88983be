import { Module } from '@nestjs/common';
import { AttemptsModule } from '../attempts/attempts.module';
import { PaymentCollectedHandler } from '../attempts/payment-collected/payment-collected.handler';
import { PaymentDeclinedHandler } from '../attempts/payment-declined/payment-declined.handler';
import { PurchaseAttemptedHandler } from '../attempts/purchase-attempted/purchase-attempted.handler';
import { RefundIssuedHandler } from '../attempts/refund-issued/refund-issued.handler';
import { ContactOptedInHandler } from '../tracking/contact-opted-in/contact-opted-in.handler';
import { LinkClickedHandler } from '../tracking/link-clicked/link-clicked.handler';
import { TrackingModule } from '../tracking/tracking.module';
import { ENVELOPE_HANDLERS, type EnvelopeHandler } from './envelope-handler';
import { GroupCommitter } from './group-commit/group-committer';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { JetStreamIngestTask } from './jetstream/jetstream-ingest.task';
import { JetStreamConnection } from './jetstream/jetstream.connection';

const HANDLER_CLASSES = [
  LinkClickedHandler,
  ContactOptedInHandler,
  PurchaseAttemptedHandler,
  PaymentCollectedHandler,
  PaymentDeclinedHandler,
  RefundIssuedHandler,
];

@Module({
  imports: [TrackingModule, AttemptsModule],
  controllers: [IngestController],
  providers: [
    IngestService,
    GroupCommitter,
    JetStreamConnection,
    JetStreamIngestTask,
    {
      provide: ENVELOPE_HANDLERS,
      useFactory: (...handlers: EnvelopeHandler[]) => handlers,
      inject: HANDLER_CLASSES,
    },
  ],
  exports: [IngestService, GroupCommitter, JetStreamConnection, JetStreamIngestTask],
})
export class IngestModule {}
