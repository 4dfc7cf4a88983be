import { Module } from '@nestjs/common';
import { DecisionStateLoader } from '../write-model/decision-state';
import { GroupCommitter } from './group-commit/group-committer';
import { IngestService } from './ingest.service';
import { JetStreamIngestTask } from './jetstream/jetstream-ingest.task';
import { JetStreamConnection } from './jetstream/jetstream.connection';
import { PublishEventsController } from './publish-events/publish-events.controller';
import { PublishEventsHandler } from './publish-events/publish-events.handler';

/** The ingest pipeline (IngestService) and its transports: POST /v1/events and the JetStream consumer. */
@Module({
  controllers: [PublishEventsController],
  providers: [
    IngestService,
    DecisionStateLoader,
    GroupCommitter,
    JetStreamConnection,
    JetStreamIngestTask,
    PublishEventsHandler,
  ],
  exports: [IngestService, GroupCommitter, JetStreamConnection, JetStreamIngestTask],
})
export class IngestModule {}
